package io.heare.stats.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One gauge: the last value set, or the unset marker once the sender has taken it, and
 * how many values were set since (each is an update, delivered with the newest value).
 */
final class GaugeCell {

	// NaN is never recorded (it is dropped as invalid), so its bits can mean "nothing
	// new".
	private static final long UNSET = Double.doubleToRawLongBits(Double.NaN);

	final String wireName;

	private final AtomicLong bits = new AtomicLong(UNSET);

	private final StripedCounter sets = new StripedCounter();

	// Sender only: the value last taken, for updates whose value an earlier drain already
	// took.
	private double last;

	GaugeCell(String wireName) {
		this.wireName = wireName;
	}

	// The value first: the sender reads the count first and the value after it.
	void set(double value) {
		this.bits.set(Double.doubleToRawLongBits(value));
		this.sets.increment();
	}

	/** The updates since the last call; 0 when there were none. Sender only. */
	long takeUpdates() {
		return this.sets.sumThenReset();
	}

	/**
	 * The newest value; call after {@link #takeUpdates()} returned more than 0. Sender
	 * only.
	 */
	double takeValue() {
		long taken = (this.bits.get() == UNSET) ? UNSET : this.bits.getAndSet(UNSET);
		if (taken != UNSET) {
			this.last = Double.longBitsToDouble(taken);
		}
		return this.last;
	}

}
