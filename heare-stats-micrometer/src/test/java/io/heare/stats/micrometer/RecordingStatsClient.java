package io.heare.stats.micrometer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Telemetry;

/**
 * A {@link StatsClient} that keeps every update it is given, in order. Updates recorded
 * on a pipeline are kept when the pipeline closes, and the pipeline is remembered as one
 * batch.
 */
class RecordingStatsClient implements StatsClient {

	private final List<Update> updates = new CopyOnWriteArrayList<>();

	private final List<List<Update>> batches = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	/** One update: {@code kind} is incr, time, gauge or hist. */
	record Update(String kind, String name, double value) {

		static Update incr(String name, double value) {
			return new Update("incr", name, value);
		}

		static Update time(String name, double value) {
			return new Update("time", name, value);
		}

		static Update gauge(String name, double value) {
			return new Update("gauge", name, value);
		}

		static Update hist(String name, double value) {
			return new Update("hist", name, value);
		}

	}

	List<Update> updates() {
		return List.copyOf(this.updates);
	}

	/** The updates handed over by closed pipelines, one list per pipeline. */
	List<List<Update>> batches() {
		return List.copyOf(this.batches);
	}

	boolean closed() {
		return this.closed;
	}

	void clear() {
		this.updates.clear();
		this.batches.clear();
	}

	@Override
	public void incr(String name, double value) {
		this.updates.add(Update.incr(name, value));
	}

	@Override
	public void incr(String name, double value, double sampleRate) {
		incr(name, value);
	}

	@Override
	public void time(String name, double millis) {
		this.updates.add(Update.time(name, millis));
	}

	@Override
	public void time(String name, double millis, double sampleRate) {
		time(name, millis);
	}

	@Override
	public void gauge(String name, double value) {
		this.updates.add(Update.gauge(name, value));
	}

	@Override
	public void hist(String name, double value) {
		this.updates.add(Update.hist(name, value));
	}

	@Override
	public Pipeline pipeline() {
		return new RecordingPipeline();
	}

	@Override
	public boolean flush() {
		return true;
	}

	@Override
	public void close() {
		this.closed = true;
	}

	@Override
	public Telemetry telemetry() {
		return StatsClient.noop().telemetry();
	}

	private final class RecordingPipeline implements Pipeline {

		private final List<Update> batch = new ArrayList<>();

		@Override
		public Pipeline incr(String name, double value) {
			this.batch.add(Update.incr(name, value));
			return this;
		}

		@Override
		public Pipeline incr(String name, double value, double sampleRate) {
			return incr(name, value);
		}

		@Override
		public Pipeline time(String name, double millis) {
			this.batch.add(Update.time(name, millis));
			return this;
		}

		@Override
		public Pipeline time(String name, double millis, double sampleRate) {
			return time(name, millis);
		}

		@Override
		public Pipeline gauge(String name, double value) {
			this.batch.add(Update.gauge(name, value));
			return this;
		}

		@Override
		public Pipeline hist(String name, double value) {
			this.batch.add(Update.hist(name, value));
			return this;
		}

		@Override
		public void close() {
			RecordingStatsClient.this.batches.add(List.copyOf(this.batch));
			RecordingStatsClient.this.updates.addAll(this.batch);
		}

	}

}
