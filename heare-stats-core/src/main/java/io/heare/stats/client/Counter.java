package io.heare.stats.client;

/**
 * A counter bound to its name, from {@link StatsClient#counter(String)}: recording
 * through it skips the look-up of the name that {@link StatsClient#incr(String)} makes on
 * every call. Safe to share between threads, and to keep for as long as its client lives.
 * Like the client's own methods, it never throws: invalid values, and updates after the
 * client was closed, are dropped and counted.
 */
@FunctionalInterface
public interface Counter {

	/** Adds one. */
	default void incr() {
		incr(1d);
	}

	/** Adds {@code value}. */
	void incr(double value);

}
