package io.heare.stats.test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.heare.stats.client.Pipeline;

/**
 * The pipeline of an {@link InMemoryStatsClient}: holds its entries until it is closed,
 * then hands them to the client in one piece, once. Not thread-safe, like every pipeline.
 *
 * @author heare-stats
 */
final class InMemoryPipeline implements Pipeline {

	private final Consumer<List<Entry>> client;

	private final List<Entry> entries = new ArrayList<>();

	private boolean closed;

	InMemoryPipeline(Consumer<List<Entry>> client) {
		this.client = client;
	}

	@Override
	public Pipeline incr(String name, double value) {
		return add(MetricKind.COUNTER, name, value);
	}

	@Override
	public Pipeline incr(String name, double value, double sampleRate) {
		return add(MetricKind.COUNTER, name, value);
	}

	@Override
	public Pipeline time(String name, double millis) {
		return add(MetricKind.TIMER, name, millis);
	}

	@Override
	public Pipeline time(String name, double millis, double sampleRate) {
		return add(MetricKind.TIMER, name, millis);
	}

	@Override
	public Pipeline gauge(String name, double value) {
		return add(MetricKind.GAUGE, name, value);
	}

	@Override
	public Pipeline hist(String name, double value) {
		return add(MetricKind.HISTOGRAM, name, value);
	}

	private Pipeline add(MetricKind kind, String name, double value) {
		if (!this.closed) {
			this.entries.add(new Entry(kind, name, value));
		}
		return this;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.client.accept(this.entries);
		this.entries.clear();
	}

	@Override
	public String toString() {
		return this.closed ? "Pipeline[closed]" : "Pipeline[" + this.entries.size() + " entries]";
	}

	/**
	 * One update, as the caller gave it.
	 */
	record Entry(MetricKind kind, String name, double value) {
	}

}
