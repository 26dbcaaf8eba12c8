package io.heare.stats.client;

import java.time.Duration;

/**
 * A timer bound to its name, from {@link StatsClient#timer(String)}: recording through it
 * skips the look-up of the name that {@link StatsClient#time(String, double)} makes on
 * every call. Safe to share between threads, and to keep for as long as its client lives.
 * Never throws: invalid values, and values recorded after the client was closed, are
 * dropped and counted.
 */
@FunctionalInterface
public interface Timer {

	/** Records a duration of {@code millis} milliseconds. */
	void time(double millis);

	/** Records {@code duration}, in milliseconds. */
	default void time(Duration duration) {
		time((duration != null) ? duration.toNanos() / 1_000_000d : Double.NaN);
	}

}
