package io.heare.stats.client;

import java.util.Arrays;

/**
 * Holds a pipeline's entries until close, then replays them into the client's cells in
 * one go. Validation happens at replay, where every drop is counted.
 * <p>
 * The entries live in a {@link Buffer} that each thread reuses from one pipeline to the
 * next, so that a pipeline costs one small handle rather than four arrays. The handle
 * lets go of its buffer on close, so a stale reference to a closed pipeline records
 * nothing.
 */
final class BufferedPipeline implements Pipeline {

	private static final byte COUNTER = 0;

	private static final byte TIMER = 1;

	private static final byte GAUGE = 2;

	private static final byte HISTOGRAM = 3;

	// Buffers that grew past this are left to the garbage collector rather than kept per
	// thread.
	private static final int MAX_POOLED_CAPACITY = 256;

	private static final ThreadLocal<Buffer> spare = new ThreadLocal<>();

	private final AbstractStatsClient client;

	private Buffer buffer;

	BufferedPipeline(AbstractStatsClient client) {
		this.client = client;
		Buffer pooled = spare.get();
		if (pooled != null) {
			spare.set(null);
			this.buffer = pooled;
		}
		else {
			this.buffer = new Buffer();
		}
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
		Buffer current = this.buffer;
		if (current != null) {
			current.add(kind, name, value, rate);
		}
		return this;
	}

	int size() {
		Buffer current = this.buffer;
		return (current != null) ? current.size : 0;
	}

	void replay(Aggregator aggregator) {
		this.buffer.replay(aggregator);
	}

	@Override
	public void close() {
		Buffer current = this.buffer;
		if (current == null) {
			return;
		}
		try {
			this.client.apply(this);
		}
		catch (RuntimeException ex) {
			// The metrics path never throws into the caller; the aggregator counts what
			// it drops.
		}
		finally {
			this.buffer = null;
			release(current);
		}
	}

	private static void release(Buffer buffer) {
		if (buffer.kinds.length <= MAX_POOLED_CAPACITY && spare.get() == null) {
			buffer.clear();
			spare.set(buffer);
		}
	}

	@Override
	public String toString() {
		Buffer current = this.buffer;
		return (current != null) ? "Pipeline[" + current.size + " entries]" : "Pipeline[closed]";
	}

	/** Flat arrays of entries, reused by one thread's successive pipelines. */
	private static final class Buffer {

		private byte[] kinds = new byte[16];

		private String[] names = new String[16];

		private double[] values = new double[16];

		private double[] rates = new double[16];

		private int size;

		void add(byte kind, String name, double value, double rate) {
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

		void clear() {
			// Names are let go of so that a pooled buffer keeps no caller's strings
			// alive.
			Arrays.fill(this.names, 0, this.size, null);
			this.size = 0;
		}

	}

}
