package io.heare.stats.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pending values of one timer or histogram from threads without a {@link ValueLanes lane}
 * of their own. Recording threads append to the current chunk without locks: one atomic
 * increment reserves a slot, one release store fills it. Slots start as NaN, which is
 * never recorded (it is dropped as invalid), so the sender, after swapping in a fresh
 * chunk, reads each slot of the old one once it is no longer NaN. A burst that fills the
 * chunk before the sender comes by links a larger chunk in front of it instead of
 * dropping values, as long as the client's budget allows, so memory stays bounded and
 * nothing is dropped that could be kept.
 */
final class ValueCell {

	// Added to a chunk's reservation count when the sender retires it: appenders that see
	// a count this large know the chunk is gone and move on to the new current chunk.
	private static final int RETIRED = 1 << 30;

	static final int MIN_CAPACITY = 64;

	private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(double[].class);

	static final int MAX_CAPACITY = 1 << 16;

	/**
	 * Distinct sample rates one timer keeps apart; values at further rates are dropped.
	 */
	static final int MAX_RATES = 8;

	// How long the sender waits for a reserved slot to be written before it gives the
	// value up.
	private static final long PUBLISH_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private static final ValueCell[] NO_CELLS = new ValueCell[0];

	final String wireName;

	final double sampleRate;

	final boolean histogram;

	// Set by ValueLanes.register before the cell is published.
	int id;

	// For a group's cell (not a timer's or histogram's own), the metrics each of its lane
	// entries updates; such a cell takes values through lanes only.
	final ValueGroup group;

	private final AtomicReference<Chunk> current;

	// Cells of the same timer for values recorded at a sample rate, one per rate.
	private volatile ValueCell[] rated = NO_CELLS;

	// Values that chunks larger than the minimum may hold, shared by all cells of a
	// client.
	private final ValueBudget budget;

	ValueCell(String wireName, double sampleRate, boolean histogram, ValueBudget budget) {
		this(wireName, sampleRate, histogram, budget, null);
	}

	/** The lane cell of {@code group}. */
	ValueCell(ValueGroup group, ValueBudget budget) {
		this(null, 1d, false, budget, group);
	}

	private ValueCell(String wireName, double sampleRate, boolean histogram, ValueBudget budget, ValueGroup group) {
		this.wireName = wireName;
		this.sampleRate = sampleRate;
		this.histogram = histogram;
		this.budget = budget;
		this.group = group;
		this.current = new AtomicReference<>(new Chunk(MIN_CAPACITY, null));
	}

	/**
	 * The cell of this timer for values recorded at {@code sampleRate}, created by
	 * {@code factory} the first time.
	 * @return the cell, or {@code null} when this timer already has {@link #MAX_RATES}
	 * rates
	 */
	ValueCell rated(double sampleRate, java.util.function.DoubleFunction<ValueCell> factory) {
		for (ValueCell cell : this.rated) {
			if (cell.sampleRate == sampleRate) {
				return cell;
			}
		}
		synchronized (this) {
			ValueCell[] cells = this.rated;
			for (ValueCell cell : cells) {
				if (cell.sampleRate == sampleRate) {
					return cell;
				}
			}
			if (cells.length >= MAX_RATES) {
				return null;
			}
			ValueCell created = factory.apply(sampleRate);
			ValueCell[] grown = Arrays.copyOf(cells, cells.length + 1);
			grown[cells.length] = created;
			this.rated = grown;
			return created;
		}
	}

	/** The cells of this timer for sampled values. */
	ValueCell[] rated() {
		return this.rated;
	}

	/**
	 * Appends {@code value}; {@code false} when no room could be had and it is dropped.
	 */
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
	 * Swaps in a fresh chunk, sized for the traffic the last one saw, and hands the
	 * values of the retired chunks to {@code consumer}, oldest first. A slot an appender
	 * reserved but has not written within a bounded wait (its thread died or stalled in
	 * between) is given up rather than waited on for ever. Sender thread only.
	 * @return the number of slots given up
	 */
	long drain(ValueLanes.GroupConsumer consumer) {
		Chunk head = this.current.get();
		if (head.reserved.get() == 0 && head.previous == null) {
			return 0;
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
		long deadline = 0;
		long abandoned = 0;
		for (Chunk chunk : retired) {
			int count = (chunk == head) ? chunk.count : chunk.values.length;
			int missing = 0;
			for (int i = 0; i < count; i++) {
				while (Double.isNaN((double) SLOT.getAcquire(chunk.values, i))) {
					// An appender holds this slot but has not written it yet; it is
					// normally a few
					// instructions away.
					long now = System.nanoTime();
					if (deadline == 0) {
						deadline = now + PUBLISH_WAIT_NANOS;
					}
					if (now - deadline >= 0) {
						missing++;
						break;
					}
					Thread.yield();
				}
			}
			double[] values = chunk.values;
			if (missing > 0) {
				values = written(values, count);
				count -= missing;
				abandoned += missing;
			}
			consumer.accept(this, values, 0, count);
			give(chunk.values.length);
		}
		return abandoned;
	}

	// The values of a retired chunk whose given-up slots were found unwritten, copied so
	// that a late write to one of those slots changes nothing that is read. A slot
	// written between the wait and this copy is still given up: it was counted as such.
	private static double[] written(double[] values, int count) {
		double[] copy = new double[count];
		int kept = 0;
		for (int i = 0; i < count && kept < count; i++) {
			double value = (double) SLOT.getAcquire(values, i);
			if (!Double.isNaN(value)) {
				copy[kept++] = value;
			}
		}
		return copy;
	}

	/**
	 * Reserves a slot without writing it, as a thread that dies in between would. Tests
	 * only.
	 */
	void reserveWithoutWriting() {
		this.current.get().reserved.getAndIncrement();
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
