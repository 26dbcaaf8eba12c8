package io.heare.stats.client;

/**
 * Metrics that one recorded value updates together: each counter by one, each timer or
 * histogram by the value. A recording thread writes the value to its lane once, under the
 * group's own lane cell, and the sender applies it to every metric of the group.
 */
final class ValueGroup {

	final CounterCell[] counters;

	final ValueCell[] values;

	ValueGroup(CounterCell[] counters, ValueCell[] values) {
		this.counters = counters;
		this.values = values;
	}

}
