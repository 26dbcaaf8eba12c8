package io.heare.stats.client;

/**
 * A histogram bound to its name, from {@link StatsClient#histogram(String)}: recording
 * through it skips the look-up of the name that {@link StatsClient#hist(String, double)}
 * makes on every call. Safe to share between threads, and to keep for as long as its
 * client lives. Never throws: invalid values, and values recorded after the client was
 * closed, are dropped and counted.
 */
@FunctionalInterface
public interface Histogram {

	/** Records {@code value}. */
	void hist(double value);

}
