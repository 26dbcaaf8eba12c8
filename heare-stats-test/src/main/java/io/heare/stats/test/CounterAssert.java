package io.heare.stats.test;

import java.util.function.DoublePredicate;

import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on the sum of one counter. Each waits until the counter is recorded and has
 * the value expected, up to the timeout of the {@link StatsAssert} it came from.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class CounterAssert extends AbstractMetricAssert<CounterAssert> {

	CounterAssert(StatsAssert stats, String name) {
		super(stats, MetricKind.COUNTER, name, CounterAssert.class);
	}

	/**
	 * Verifies that the counter's sum is {@code expected}.
	 * @param expected the sum
	 * @return this assertion
	 */
	public CounterAssert isEqualTo(double expected) {
		return satisfies((sum) -> Double.compare(sum, expected) == 0, "to be " + RecordedMetrics.format(expected));
	}

	/**
	 * Verifies that the counter's sum is {@code expected}, a number.
	 * @param expected the sum
	 * @return this assertion
	 */
	@Override
	public CounterAssert isEqualTo(Object expected) {
		if (!(expected instanceof Number number)) {
			throw new IllegalArgumentException("A counter's sum is a number, not <" + expected + ">");
		}
		return isEqualTo(number.doubleValue());
	}

	/**
	 * Verifies that the counter's sum is at least {@code minimum}.
	 * @param minimum the smallest sum accepted
	 * @return this assertion
	 */
	public CounterAssert isGreaterThanOrEqualTo(double minimum) {
		return satisfies((sum) -> sum >= minimum, "to be at least " + RecordedMetrics.format(minimum));
	}

	/**
	 * Waits until the counter is recorded, then starts an AssertJ assertion on its sum at
	 * that moment.
	 * @return an assertion on the sum
	 */
	public AbstractDoubleAssert<?> value() {
		RecordedMetrics metrics = awaitRecorded((recorded) -> true);
		return Assertions.assertThat(metrics.counter(name())).as("counter \"%s\"", name());
	}

	private CounterAssert satisfies(DoublePredicate condition, String expectation) {
		RecordedMetrics metrics = awaitRecorded((recorded) -> condition.test(recorded.counter(name())));
		double sum = metrics.counter(name());
		if (!condition.test(sum)) {
			failExpecting(expectation, RecordedMetrics.format(sum), metrics);
		}
		return this.myself;
	}

}
