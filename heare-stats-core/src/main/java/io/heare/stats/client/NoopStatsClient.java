package io.heare.stats.client;

import java.util.EnumMap;
import java.util.Map;

final class NoopStatsClient implements StatsClient {

	static final NoopStatsClient INSTANCE = new NoopStatsClient();

	private static final Telemetry EMPTY = new Telemetry(0, 0, 0, 0, zeroDrops(), 0, 0, null, null, null, 0);

	private static final Pipeline PIPELINE = new NoopPipeline();

	private NoopStatsClient() {
	}

	static Map<DropReason, Long> zeroDrops() {
		Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
		for (DropReason reason : DropReason.values()) {
			drops.put(reason, 0L);
		}
		return drops;
	}

	@Override
	public void incr(String name, double value) {
	}

	@Override
	public void incr(String name, double value, double sampleRate) {
	}

	@Override
	public void time(String name, double millis) {
	}

	@Override
	public void time(String name, double millis, double sampleRate) {
	}

	@Override
	public void gauge(String name, double value) {
	}

	@Override
	public void hist(String name, double value) {
	}

	@Override
	public Pipeline pipeline() {
		return PIPELINE;
	}

	@Override
	public boolean flush() {
		return true;
	}

	@Override
	public void close() {
	}

	@Override
	public Telemetry telemetry() {
		return EMPTY;
	}

	@Override
	public String toString() {
		return "StatsClient.noop()";
	}

	private static final class NoopPipeline implements Pipeline {

		@Override
		public Pipeline incr(String name, double value) {
			return this;
		}

		@Override
		public Pipeline incr(String name, double value, double sampleRate) {
			return this;
		}

		@Override
		public Pipeline time(String name, double millis) {
			return this;
		}

		@Override
		public Pipeline time(String name, double millis, double sampleRate) {
			return this;
		}

		@Override
		public Pipeline gauge(String name, double value) {
			return this;
		}

		@Override
		public Pipeline hist(String name, double value) {
			return this;
		}

		@Override
		public void close() {
		}

	}

}
