package io.heare.stats.test;

import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on the last value of one gauge. Each waits until the gauge is recorded and
 * has the value expected, up to the timeout of the {@link StatsAssert} it came from.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class GaugeAssert extends AbstractMetricAssert<GaugeAssert> {

	GaugeAssert(StatsAssert stats, String name) {
		super(stats, MetricKind.GAUGE, name, GaugeAssert.class);
	}

	/**
	 * Verifies that the gauge's last value is {@code expected}.
	 * @param expected the value
	 * @return this assertion
	 */
	public GaugeAssert isEqualTo(double expected) {
		RecordedMetrics metrics = awaitRecorded((recorded) -> is(recorded, expected));
		if (!is(metrics, expected)) {
			failExpecting("to be " + RecordedMetrics.format(expected),
					RecordedMetrics.format(metrics.gauges().get(name())), metrics);
		}
		return this.myself;
	}

	/**
	 * Verifies that the gauge's last value is {@code expected}, a number.
	 * @param expected the value
	 * @return this assertion
	 */
	@Override
	public GaugeAssert isEqualTo(Object expected) {
		if (!(expected instanceof Number number)) {
			throw new IllegalArgumentException("A gauge's value is a number, not <" + expected + ">");
		}
		return isEqualTo(number.doubleValue());
	}

	/**
	 * Waits until the gauge is recorded, then starts an AssertJ assertion on its last
	 * value at that moment.
	 * @return an assertion on the value
	 */
	public AbstractDoubleAssert<?> value() {
		RecordedMetrics metrics = awaitRecorded((recorded) -> true);
		return Assertions.assertThat(metrics.gauges().get(name())).as("gauge \"%s\"", name());
	}

	private boolean is(RecordedMetrics metrics, double expected) {
		Double value = metrics.gauges().get(name());
		return value != null && Double.compare(value, expected) == 0;
	}

}
