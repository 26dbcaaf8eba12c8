package io.heare.stats.client;

import java.util.Arrays;

import io.heare.stats.client.internal.Aggregator;

/**
 * Holds a pipeline's entries in flat arrays until close, then replays them into the
 * client's cells in one go. Validation happens at replay, where every drop is counted.
 */
final class BufferedPipeline implements Pipeline {

	private static final byte COUNTER = 0;

	private static final byte TIMER = 1;

	private static final byte GAUGE = 2;

	private static final byte HISTOGRAM = 3;

	private final AbstractStatsClient client;

	private byte[] kinds = new byte[8];

	private String[] names = new String[8];

	private double[] values = new double[8];

	private double[] rates = new double[8];

	private int size;

	private boolean closed;

	BufferedPipeline(AbstractStatsClient client) {
		this.client = client;
	}

	@Override
	public Pipeline incr(String name, double value) {
		return add(COUNTER, name, value, 1d);
	}

	@Override
	public Pipeline incr(String name, double value, double sampleRate) {
		return add(COUNTER, name, value, sampleRate);
	}

	@Override
	public Pipeline time(String name, double millis) {
		return add(TIMER, name, millis, 1d);
	}

	@Override
	public Pipeline time(String name, double millis, double sampleRate) {
		return add(TIMER, name, millis, sampleRate);
	}

	@Override
	public Pipeline gauge(String name, double value) {
		return add(GAUGE, name, value, 1d);
	}

	@Override
	public Pipeline hist(String name, double value) {
		return add(HISTOGRAM, name, value, 1d);
	}

	private Pipeline add(byte kind, String name, double value, double rate) {
		if (this.closed) {
			return this;
		}
		if (this.size == this.kinds.length) {
			int capacity = this.size * 2;
			this.kinds = Arrays.copyOf(this.kinds, capacity);
			this.names = Arrays.copyOf(this.names, capacity);
			this.values = Arrays.copyOf(this.values, capacity);
			this.rates = Arrays.copyOf(this.rates, capacity);
		}
		this.kinds[this.size] = kind;
		this.names[this.size] = name;
		this.values[this.size] = value;
		this.rates[this.size] = rate;
		this.size++;
		return this;
	}

	int size() {
		return this.size;
	}

	void replay(Aggregator aggregator) {
		for (int i = 0; i < this.size; i++) {
			switch (this.kinds[i]) {
				case COUNTER -> aggregator.incr(this.names[i], this.values[i], this.rates[i]);
				case TIMER -> aggregator.time(this.names[i], this.values[i], this.rates[i]);
				case GAUGE -> aggregator.gauge(this.names[i], this.values[i]);
				default -> aggregator.hist(this.names[i], this.values[i]);
			}
		}
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.client.apply(this);
		}
		catch (RuntimeException ex) {
			// The metrics path never throws into the caller; the aggregator counts what it drops.
		}
	}

	@Override
	public String toString() {
		return "Pipeline[" + this.size + " entries" + (this.closed ? ", closed" : "") + "]";
	}

}
