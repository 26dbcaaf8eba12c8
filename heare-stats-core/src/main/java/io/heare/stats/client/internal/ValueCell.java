package io.heare.stats.client.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pending values of one timer or histogram. Recording threads append to the current chunk
 * without locks or allocation; the sender swaps in a fresh chunk and reads the old one once
 * every append that reserved a slot in it has completed.
 */
final class ValueCell {

	// Added to a chunk's reservation count when the sender retires it: appenders that see a
	// count this large know the chunk is gone and move on to the new current chunk.
	private static final int RETIRED = 1 << 30;

	static final int MIN_CAPACITY = 64;

	final String wireName;

	final double sampleRate;

	private volatile Chunk current;

	ValueCell(String wireName, double sampleRate, int capacity) {
		this.wireName = wireName;
		this.sampleRate = sampleRate;
		this.current = new Chunk(capacity);
	}

	/** Appends {@code value}; {@code false} when the chunk is full and the value is dropped. */
	boolean add(double value) {
		while (true) {
			Chunk chunk = this.current;
			int reserved = chunk.reserved.get();
			if (reserved >= RETIRED) {
				Thread.onSpinWait();
				continue;
			}
			if (reserved >= chunk.values.length) {
				return false;
			}
			int slot = chunk.reserved.getAndIncrement();
			if (slot < chunk.values.length) {
				chunk.values[slot] = value;
				chunk.committed.incrementAndGet();
				return true;
			}
			if (slot < RETIRED) {
				return false;
			}
		}
	}

	/**
	 * Swaps in a fresh chunk and hands the values of the old one to {@code consumer}. A
	 * chunk that came back at least half full is replaced by one twice its size (up to
	 * {@code maxCapacity}), one that was nearly empty by one half its size. Called by the
	 * sender thread only.
	 * @return the capacity added (negative when it shrank)
	 */
	int drain(int maxCapacity, Drain consumer) {
		Chunk chunk = this.current;
		int used = chunk.reserved.get();
		if (used == 0) {
			return 0;
		}
		int capacity = chunk.values.length;
		int next = capacity;
		if (used >= capacity / 2 && capacity < maxCapacity) {
			next = Math.min(capacity * 2, maxCapacity);
		}
		else if (used < capacity / 8 && capacity > MIN_CAPACITY) {
			next = capacity / 2;
		}
		this.current = new Chunk(next);
		int reserved = chunk.reserved.getAndAdd(RETIRED);
		int count = Math.min(reserved, chunk.values.length);
		while (chunk.committed.get() < count) {
			// An appender holds a slot but has not written it yet; it is a few instructions away.
			Thread.yield();
		}
		consumer.accept(this, chunk.values, count);
		return next - capacity;
	}

	@FunctionalInterface
	interface Drain {

		void accept(ValueCell cell, double[] values, int count);

	}

	private static final class Chunk {

		final double[] values;

		final AtomicInteger reserved = new AtomicInteger();

		final AtomicInteger committed = new AtomicInteger();

		Chunk(int capacity) {
			this.values = new double[capacity];
		}

	}

}
