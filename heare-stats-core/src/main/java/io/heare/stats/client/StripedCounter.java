package io.heare.stats.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count that recording threads add to without sharing a cache line, in the manner of
 * {@link java.util.concurrent.atomic.LongAdder} but striped by thread id rather than by a
 * random probe. {@code LongAdder} moves a thread to another cell only when a CAS fails;
 * two busy threads that picked the same cell can bounce its cache line between cores for
 * good without a failure, which slows every increment of both. Thread ids are handed out
 * in sequence, so the threads of a pool land on different stripes.
 * <p>
 * Starts as one field and grows stripes the first time two threads collide on it, so an
 * idle metric costs a few bytes.
 */
final class StripedCounter {

	// 16 longs = 128 bytes between stripes: beyond a cache line and its adjacent-line
	// prefetch.
	private static final int SPACING = 16;

	private static final int STRIPES = Math.min(64,
			Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2);

	private static final VarHandle BASE;

	private static final VarHandle STRIPED;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			BASE = lookup.findVarHandle(StripedCounter.class, "base", long.class);
			STRIPED = lookup.findVarHandle(StripedCounter.class, "striped", AtomicLongArray.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@SuppressWarnings("unused") // Accessed through BASE.
	private volatile long base;

	private volatile AtomicLongArray striped;

	void increment() {
		AtomicLongArray stripes = this.striped;
		if (stripes == null) {
			long current = (long) BASE.getVolatile(this);
			if (BASE.compareAndSet(this, current, current + 1)) {
				return;
			}
			stripes = inflate();
		}
		stripes.getAndIncrement(stripe());
	}

	private static int stripe() {
		@SuppressWarnings("deprecation") // Thread.threadId() needs Java 19.
		long id = Thread.currentThread().getId();
		return ((int) id & (STRIPES - 1)) * SPACING;
	}

	private AtomicLongArray inflate() {
		AtomicLongArray created = new AtomicLongArray(STRIPES * SPACING);
		if (!STRIPED.compareAndSet(this, null, created)) {
			return this.striped;
		}
		return created;
	}

	/**
	 * The count since the last call, reset atomically stripe by stripe. Sender thread
	 * only.
	 */
	long sumThenReset() {
		long sum = (long) BASE.getAndSet(this, 0L);
		AtomicLongArray stripes = this.striped;
		if (stripes != null) {
			for (int i = 0; i < stripes.length(); i += SPACING) {
				if (stripes.get(i) != 0) {
					sum += stripes.getAndSet(i, 0L);
				}
			}
		}
		return sum;
	}

}
