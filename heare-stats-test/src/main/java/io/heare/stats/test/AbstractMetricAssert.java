package io.heare.stats.test;

import java.util.function.Predicate;

import org.assertj.core.api.AbstractAssert;

import io.heare.stats.client.StatsClient;

/**
 * What the assertions on one metric share: its name and kind, waiting through the
 * {@link StatsAssert} they came from, and failure messages that list what was recorded.
 *
 * @param <SELF> the assertion's own type
 * @author heare-stats
 * @since 0.1.0
 */
public abstract class AbstractMetricAssert<SELF extends AbstractMetricAssert<SELF>>
		extends AbstractAssert<SELF, StatsClient> {

	private final StatsAssert stats;

	private final MetricKind kind;

	private final String name;

	AbstractMetricAssert(StatsAssert stats, MetricKind kind, String name, Class<?> selfType) {
		super(stats.client(), selfType);
		this.stats = stats;
		this.kind = kind;
		this.name = name;
	}

	/**
	 * The final name of the metric under assertion.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Waits until the metric is recorded and {@code condition} holds for the recorded
	 * metrics, or the timeout passes, and fails when the metric is missing.
	 * @param condition what must hold once the metric is there
	 * @return the last snapshot, which has the metric
	 */
	RecordedMetrics awaitRecorded(Predicate<RecordedMetrics> condition) {
		RecordedMetrics metrics = this.stats.await((recorded) -> isRecorded(recorded) && condition.test(recorded));
		if (!isRecorded(metrics)) {
			MetricKind recordedAs = metrics.kindOf(this.name);
			String why = (recordedAs != null) ? "but it was recorded as a " + recordedAs
					: "but none was recorded" + StatsAssert.closeNames(metrics, this.name);
			fail("Expecting a " + this.kind + " named \"" + this.name + "\", " + why + this.stats.waited(), metrics);
		}
		return metrics;
	}

	private boolean isRecorded(RecordedMetrics metrics) {
		return switch (this.kind) {
			case COUNTER -> metrics.counters().containsKey(this.name);
			case GAUGE -> metrics.gauges().containsKey(this.name);
			case TIMER -> metrics.timers().containsKey(this.name);
			case HISTOGRAM -> metrics.histograms().containsKey(this.name);
		};
	}

	/**
	 * Fails with an expectation about this metric that did not hold.
	 * @param expectation what was expected, e.g. {@code "to be 1"}
	 * @param actual what was found
	 * @param metrics what was recorded
	 */
	void failExpecting(String expectation, String actual, RecordedMetrics metrics) {
		fail("Expecting " + this.kind + " \"" + this.name + "\" " + expectation + ", but it was " + actual
				+ this.stats.waited(), metrics);
	}

	private void fail(String expectation, RecordedMetrics metrics) {
		failWithMessage("%s", StatsAssert.failure(expectation, metrics));
	}

}
