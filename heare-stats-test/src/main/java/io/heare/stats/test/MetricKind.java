package io.heare.stats.test;

/**
 * The four kinds of metric, as failure messages name them.
 */
enum MetricKind {

	COUNTER("counter"), GAUGE("gauge"), TIMER("timer"), HISTOGRAM("histogram");

	private final String label;

	MetricKind(String label) {
		this.label = label;
	}

	@Override
	public String toString() {
		return this.label;
	}

}
