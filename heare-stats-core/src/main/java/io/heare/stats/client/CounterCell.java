package io.heare.stats.client;

import java.util.concurrent.atomic.DoubleAdder;

/**
 * One counter: striped adders that recording threads update without contention. Most
 * updates add exactly one, so those go to a count of their own, which is also how many
 * updates were recorded, and need nothing else on the record path; any other value is
 * added to the sum and counted as an update of its own.
 */
final class CounterCell {

	final String wireName;

	final StripedCounter ones = new StripedCounter();

	final DoubleAdder sum = new DoubleAdder();

	// Updates other than +1, so that a counter incremented by zero (to make it exist) is
	// still sent, and so that each counts once however large its value.
	final StripedCounter adds = new StripedCounter();

	CounterCell(String wireName) {
		this.wireName = wireName;
	}

	// The sum first: the sender reads the count first and takes the sum only when the
	// count moved, so a value whose count it has not seen yet waits for the next drain.
	void add(double value) {
		this.sum.add(value);
		this.adds.increment();
	}

}
