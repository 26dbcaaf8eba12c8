package io.heare.stats.micrometer;

import java.util.concurrent.atomic.LongAdder;

import io.heare.stats.client.DropCounting;
import io.heare.stats.client.DropReason;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Telemetry;

/**
 * Where the meters refused by the meter cap send: every update (a counter increment, a
 * recorded time, a polled gauge value) is dropped and counted, in the registry's
 * {@link HeareMeterRegistry#refusedUpdates()} and, for a client of the core's, in its
 * telemetry as a {@link DropReason#NAME_LIMIT} drop, the reason the client gives to its
 * own names beyond its cap.
 */
final class RefusedUpdates implements StatsClient {

	private final StatsClient client;

	private final LongAdder count = new LongAdder();

	RefusedUpdates(StatsClient client) {
		this.client = client;
	}

	long count() {
		return this.count.sum();
	}

	private void refuse() {
		this.count.increment();
		if (this.client instanceof DropCounting counting) {
			counting.refusedElsewhere(DropReason.NAME_LIMIT, 1);
		}
	}

	@Override
	public void incr(String name, double value) {
		refuse();
	}

	@Override
	public void incr(String name, double value, double sampleRate) {
		refuse();
	}

	@Override
	public void time(String name, double millis) {
		refuse();
	}

	@Override
	public void time(String name, double millis, double sampleRate) {
		refuse();
	}

	@Override
	public void gauge(String name, double value) {
		refuse();
	}

	@Override
	public void hist(String name, double value) {
		refuse();
	}

	@Override
	public Pipeline pipeline() {
		return new RefusingPipeline();
	}

	@Override
	public boolean flush() {
		return this.client.flush();
	}

	@Override
	public Telemetry telemetry() {
		return this.client.telemetry();
	}

	/** Closes nothing: the client is the registry's caller's. */
	@Override
	public void close() {
	}

	private final class RefusingPipeline implements Pipeline {

		@Override
		public Pipeline incr(String name, double value) {
			refuse();
			return this;
		}

		@Override
		public Pipeline incr(String name, double value, double sampleRate) {
			refuse();
			return this;
		}

		@Override
		public Pipeline time(String name, double millis) {
			refuse();
			return this;
		}

		@Override
		public Pipeline time(String name, double millis, double sampleRate) {
			refuse();
			return this;
		}

		@Override
		public Pipeline gauge(String name, double value) {
			refuse();
			return this;
		}

		@Override
		public Pipeline hist(String name, double value) {
			refuse();
			return this;
		}

		@Override
		public void close() {
		}

	}

}
