package io.heare.stats.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pending values of one timer or histogram from threads without a {@link ValueLanes lane} of
 * their own. Recording threads append to the current chunk without locks: one atomic
 * increment reserves a slot, one release store fills it. Slots start as NaN, which is never
 * recorded (it is dropped as invalid), so the sender, after swapping in a fresh chunk, reads
 * each slot of the old one once it is no longer NaN. A burst that fills the chunk before the
 * sender comes by links a larger chunk in front of it instead of dropping values, as long as
 * the client's budget allows, so memory stays bounded and nothing is dropped that could be
 * kept.
 */
final class ValueCell {

	// Added to a chunk's reservation count when the sender retires it: appenders that see a
	// count this large know the chunk is gone and move on to the new current chunk.
	private static final int RETIRED = 1 << 30;

	static final int MIN_CAPACITY = 64;

	private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(double[].class);

	static final int MAX_CAPACITY = 1 << 16;

	final String wireName;

	final double sampleRate;

	final boolean histogram;

	// Set by ValueLanes.register before the cell is published.
	int id;

	private final AtomicReference<Chunk> current;

	// Values that chunks larger than the minimum may hold, shared by all cells of a client.
	private final ValueBudget budget;

	ValueCell(String wireName, double sampleRate, boolean histogram, ValueBudget budget) {
		this.wireName = wireName;
		this.sampleRate = sampleRate;
		this.histogram = histogram;
		this.budget = budget;
		this.current = new AtomicReference<>(new Chunk(MIN_CAPACITY, null));
	}

	/** Appends {@code value}; {@code false} when no room could be had and it is dropped. */
	boolean add(double value) {
		while (true) {
			Chunk chunk = this.current.get();
			int reserved = chunk.reserved.get();
			if (reserved >= RETIRED) {
				Thread.onSpinWait();
				continue;
			}
			if (reserved < chunk.values.length) {
				int slot = chunk.reserved.getAndIncrement();
				if (slot < chunk.values.length) {
					SLOT.setRelease(chunk.values, slot, value);
					return true;
				}
				if (slot >= RETIRED) {
					continue;
				}
			}
			if (!grow(chunk)) {
				return false;
			}
		}
	}

	// True when there is a new current chunk to try (ours or another thread's).
	private boolean grow(Chunk full) {
		if (this.current.get() != full) {
			return true;
		}
		int capacity = Math.min(full.values.length * 2, MAX_CAPACITY);
		if (!take(capacity)) {
			return this.current.get() != full;
		}
		if (!this.current.compareAndSet(full, new Chunk(capacity, full))) {
			give(capacity);
		}
		return true;
	}

	// The first chunk of every cell is outside the budget, so that each metric can always
	// hold a few values.
	private boolean take(int capacity) {
		return capacity <= MIN_CAPACITY || this.budget.take(capacity);
	}

	private void give(int capacity) {
		if (capacity > MIN_CAPACITY) {
			this.budget.give(capacity);
		}
	}

	/**
	 * Swaps in a fresh chunk, sized for the traffic the last one saw, and hands the values
	 * of the retired chunks to {@code consumer}, oldest first. Sender thread only.
	 */
	void drain(ValueLanes.GroupConsumer consumer) {
		Chunk head = this.current.get();
		if (head.reserved.get() == 0 && head.previous == null) {
			return;
		}
		int capacity = head.values.length;
		int used = Math.min(head.reserved.get(), capacity);
		int next = (used < capacity / 8) ? Math.max(MIN_CAPACITY, capacity / 2) : capacity;
		if (!take(next)) {
			next = MIN_CAPACITY;
		}
		Chunk fresh = new Chunk(next, null);
		while (!this.current.compareAndSet(head, fresh)) {
			head = this.current.get();
		}
		ArrayDeque<Chunk> retired = new ArrayDeque<>();
		int reserved = head.reserved.getAndAdd(RETIRED);
		retired.push(head);
		for (Chunk older = head.previous; older != null; older = older.previous) {
			retired.push(older);
		}
		head.count = Math.min(reserved, head.values.length);
		for (Chunk chunk : retired) {
			int count = (chunk == head) ? chunk.count : chunk.values.length;
			for (int i = 0; i < count; i++) {
				while (Double.isNaN((double) SLOT.getAcquire(chunk.values, i))) {
					// An appender holds this slot but has not written it yet; it is a few instructions away.
					Thread.yield();
				}
			}
			consumer.accept(this, chunk.values, 0, count);
			give(chunk.values.length);
		}
	}

	private static final class Chunk {

		final double[] values;

		final Chunk previous;

		final AtomicInteger reserved = new AtomicInteger();

		int count;

		Chunk(int capacity, Chunk previous) {
			this.values = new double[capacity];
			Arrays.fill(this.values, Double.NaN);
			this.previous = previous;
		}

	}

}
