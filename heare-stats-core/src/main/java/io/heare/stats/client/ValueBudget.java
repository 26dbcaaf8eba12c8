package io.heare.stats.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Room for pending timer and histogram values, shared by a client's lane rings and cell
 * chunks: taken by capacity when a larger ring or chunk is allocated, given back when the
 * sender retires it. What bounds their memory while the service is slow or down.
 */
final class ValueBudget {

	private final AtomicLong values;

	ValueBudget(long values) {
		this.values = new AtomicLong(values);
	}

	/**
	 * Takes room for {@code capacity} values; {@code false}, taking nothing, when there
	 * is not enough.
	 */
	boolean take(int capacity) {
		// Read before taking, so that recorders of a client over its budget fail without
		// contending on the counter.
		if (this.values.get() < capacity) {
			return false;
		}
		if (this.values.addAndGet(-capacity) >= 0) {
			return true;
		}
		this.values.addAndGet(capacity);
		return false;
	}

	void give(int capacity) {
		this.values.addAndGet(capacity);
	}

	/** Room left, in values. */
	long available() {
		return this.values.get();
	}

}
