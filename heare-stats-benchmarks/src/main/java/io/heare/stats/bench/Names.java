package io.heare.stats.bench;

/** The metric names every benchmark and check cycles over. */
public final class Names {

	/** How many distinct names. */
	public static final int COUNT = 100;

	/** The prefix they share. */
	public static final String PREFIX = "bench.";

	/**
	 * What the sinks match to count benchmark metrics: Micrometer's Etsy flavour rewrites
	 * {@code bench.metric.7} as {@code benchMetric7.statistic.count}, so the dot is left
	 * out.
	 */
	public static final String SENT_PREFIX = "bench";

	/** {@code bench.metric.0} .. {@code bench.metric.99}, built once. */
	public static final String[] METRICS = new String[COUNT];

	static {
		for (int i = 0; i < COUNT; i++) {
			METRICS[i] = PREFIX + "metric." + i;
		}
	}

	private Names() {
	}

}
