package io.heare.stats.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Telemetry;

/**
 * A {@link StatsClient} that keeps what it is given, for assertions. Thread-safe;
 * pipeline entries are captured when the pipeline is closed.
 */
public class CapturingStatsClient implements StatsClient {

	private final List<Recorded> recorded = new CopyOnWriteArrayList<>();

	private final List<List<Recorded>> pipelines = new CopyOnWriteArrayList<>();

	/** One recorded update. */
	public record Recorded(String kind, String name, double value) {
	}

	public List<Recorded> recorded() {
		return List.copyOf(this.recorded);
	}

	public List<String> names() {
		return this.recorded.stream().map(Recorded::name).toList();
	}

	public List<Recorded> named(String name) {
		return this.recorded.stream().filter((recorded) -> recorded.name().equals(name)).toList();
	}

	/** The batches handed over by closed pipelines, in order. */
	public List<List<Recorded>> pipelines() {
		return List.copyOf(this.pipelines);
	}

	public void clear() {
		this.recorded.clear();
		this.pipelines.clear();
	}

	@Override
	public void incr(String name, double value) {
		this.recorded.add(new Recorded("counter", name, value));
	}

	@Override
	public void incr(String name, double value, double sampleRate) {
		incr(name, value);
	}

	@Override
	public void time(String name, double millis) {
		this.recorded.add(new Recorded("timer", name, millis));
	}

	@Override
	public void time(String name, double millis, double sampleRate) {
		time(name, millis);
	}

	@Override
	public void gauge(String name, double value) {
		this.recorded.add(new Recorded("gauge", name, value));
	}

	@Override
	public void hist(String name, double value) {
		this.recorded.add(new Recorded("histogram", name, value));
	}

	@Override
	public Pipeline pipeline() {
		return new CapturingPipeline();
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
		return StatsClient.noop().telemetry();
	}

	private final class CapturingPipeline implements Pipeline {

		private final List<Recorded> entries = new ArrayList<>();

		private boolean closed;

		@Override
		public Pipeline incr(String name, double value) {
			this.entries.add(new Recorded("counter", name, value));
			return this;
		}

		@Override
		public Pipeline incr(String name, double value, double sampleRate) {
			return incr(name, value);
		}

		@Override
		public Pipeline time(String name, double millis) {
			this.entries.add(new Recorded("timer", name, millis));
			return this;
		}

		@Override
		public Pipeline time(String name, double millis, double sampleRate) {
			return time(name, millis);
		}

		@Override
		public Pipeline gauge(String name, double value) {
			this.entries.add(new Recorded("gauge", name, value));
			return this;
		}

		@Override
		public Pipeline hist(String name, double value) {
			this.entries.add(new Recorded("histogram", name, value));
			return this;
		}

		@Override
		public void close() {
			if (!this.closed) {
				this.closed = true;
				CapturingStatsClient.this.pipelines.add(List.copyOf(this.entries));
				CapturingStatsClient.this.recorded.addAll(this.entries);
			}
		}

	}

}
