package io.heare.stats.client.internal;

import java.util.concurrent.atomic.DoubleAdder;

/**
 * One counter: striped adders that recording threads update without contention. Most
 * updates add exactly one, so those go to a count of their own, which is also how many
 * updates were recorded, and need nothing else on the record path.
 */
final class CounterCell {

	final String wireName;

	final double sampleRate;

	final StripedCounter ones = new StripedCounter();

	final DoubleAdder sum = new DoubleAdder();

	// Set by recorders so that a counter incremented by zero (to make it exist) is still sent.
	// Read before written, so that busy recorders share the cache line instead of bouncing it.
	volatile boolean touched;

	CounterCell(String wireName, double sampleRate) {
		this.wireName = wireName;
		this.sampleRate = sampleRate;
	}

	void add(double value) {
		this.sum.add(value);
		if (!this.touched) {
			this.touched = true;
		}
	}

}
