package io.heare.stats.test;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * Assertions on the values of one timer (in milliseconds) or histogram, in the order they
 * were recorded. Each waits until the metric is recorded and has what is expected, up to
 * the timeout of the {@link StatsAssert} it came from.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class ValuesAssert extends AbstractMetricAssert<ValuesAssert> {

	private final MetricKind kind;

	ValuesAssert(StatsAssert stats, MetricKind kind, String name) {
		super(stats, kind, name, ValuesAssert.class);
		this.kind = kind;
	}

	/**
	 * Verifies that exactly {@code count} values were recorded.
	 * @param count the number of values
	 * @return this assertion
	 */
	public ValuesAssert hasCount(int count) {
		String expectation = "to have " + count + ((count == 1) ? " value" : " values");
		return satisfies((values) -> values.size() == count, expectation);
	}

	/**
	 * Verifies that exactly {@code expected} were recorded, in this order.
	 * @param expected the values
	 * @return this assertion
	 */
	public ValuesAssert hasValues(double... expected) {
		List<Double> list = Arrays.stream(expected).boxed().toList();
		return satisfies(list::equals, "to have the values " + describe(list));
	}

	/**
	 * Waits until the metric is recorded, then starts an AssertJ assertion on its values
	 * at that moment, in the order recorded.
	 * @return an assertion on the values
	 */
	public ListAssert<Double> values() {
		RecordedMetrics metrics = awaitRecorded((recorded) -> true);
		return Assertions.assertThat(values(metrics)).as("%s \"%s\"", this.kind, name());
	}

	private ValuesAssert satisfies(Predicate<List<Double>> condition, String expectation) {
		RecordedMetrics metrics = awaitRecorded((recorded) -> condition.test(values(recorded)));
		List<Double> values = values(metrics);
		if (!condition.test(values)) {
			failExpecting(expectation, describe(values), metrics);
		}
		return this.myself;
	}

	private List<Double> values(RecordedMetrics metrics) {
		return (this.kind == MetricKind.TIMER) ? metrics.timer(name()) : metrics.histogram(name());
	}

	private static String describe(List<Double> values) {
		StringBuilder text = new StringBuilder("[");
		for (int i = 0; i < values.size(); i++) {
			text.append((i > 0) ? ", " : "").append(RecordedMetrics.format(values.get(i)));
		}
		return text.append("]").toString();
	}

}
