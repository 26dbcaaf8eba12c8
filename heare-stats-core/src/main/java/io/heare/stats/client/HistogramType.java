package io.heare.stats.client;

/**
 * The StatsD type a histogram value is sent as. The heare relay and most daemons read
 * {@code h}; Etsy StatsD reads {@code h} as a counter, so send {@code ms} to it; the
 * Datadog agent also reads {@code d} (distribution).
 */
public enum HistogramType {

	/** {@code h}: the heare relay's histogram. The default. */
	H("h"),

	/** {@code ms}: a timer, which every StatsD daemon aggregates as a distribution. */
	MS("ms"),

	/** {@code d}: a Datadog distribution. */
	D("d");

	private final String symbol;

	HistogramType(String symbol) {
		this.symbol = symbol;
	}

	/** The type as written after the {@code |} of a line. */
	String symbol() {
		return this.symbol;
	}

}
