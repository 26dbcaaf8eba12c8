package io.heare.stats.micrometer;

import io.heare.stats.client.Pipeline;

/**
 * Turns a cumulative count read once per step into counter increments: what it grew by
 * since the last read. A count that went down was reset at its source; it is taken as the
 * new starting point, and nothing is sent for that step.
 */
final class CounterDelta {

	private final String name;

	private double last;

	CounterDelta(String name) {
		this.name = name;
	}

	// Called by the publishing thread only (PushMeterRegistry publishes one step at a
	// time).
	void send(Pipeline pipeline, double current) {
		if (!Double.isFinite(current)) {
			return;
		}
		double delta = current - this.last;
		this.last = current;
		if (delta > 0) {
			pipeline.incr(this.name, delta);
		}
	}

}
