package io.heare.stats.client.internal;

import java.util.concurrent.atomic.AtomicLong;

/** One gauge: the last value set, or the unset marker once the sender has taken it. */
final class GaugeCell {

	// NaN is never recorded (it is dropped as invalid), so its bits can mean "nothing new".
	private static final long UNSET = Double.doubleToRawLongBits(Double.NaN);

	final String wireName;

	private final AtomicLong bits = new AtomicLong(UNSET);

	GaugeCell(String wireName) {
		this.wireName = wireName;
	}

	void set(double value) {
		this.bits.set(Double.doubleToRawLongBits(value));
	}

	/** The value set since the last call, or NaN. */
	double take() {
		long taken = (this.bits.get() == UNSET) ? UNSET : this.bits.getAndSet(UNSET);
		return Double.longBitsToDouble(taken);
	}

}
