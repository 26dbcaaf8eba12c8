package io.heare.stats.test;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an {@link InMemoryStatsClient} had recorded at one moment, by final (prefixed and
 * sanitized) name. Immutable.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class RecordedMetrics {

	private final Map<String, Double> counters;

	private final Map<String, Double> gauges;

	private final Map<String, List<Double>> timers;

	private final Map<String, List<Double>> histograms;

	private final long pipelines;

	private RecordedMetrics(Map<String, Double> counters, Map<String, Double> gauges, Map<String, List<Double>> timers,
			Map<String, List<Double>> histograms, long pipelines) {
		this.counters = counters;
		this.gauges = gauges;
		this.timers = timers;
		this.histograms = histograms;
		this.pipelines = pipelines;
	}

	/**
	 * A copy of the client's state, sorted by name.
	 */
	static RecordedMetrics copyOf(Map<String, Double> counters, Map<String, Double> gauges,
			Map<String, List<Double>> timers, Map<String, List<Double>> histograms, long pipelines) {
		return new RecordedMetrics(Collections.unmodifiableMap(new TreeMap<>(counters)),
				Collections.unmodifiableMap(new TreeMap<>(gauges)), copyValues(timers), copyValues(histograms),
				pipelines);
	}

	/**
	 * A read-only view of the client's state, valid only while its lock is held: what a
	 * waiting assertion tests after each update, without copying everything each time.
	 */
	static RecordedMetrics viewOf(Map<String, Double> counters, Map<String, Double> gauges,
			Map<String, List<Double>> timers, Map<String, List<Double>> histograms, long pipelines) {
		return new RecordedMetrics(Collections.unmodifiableMap(counters), Collections.unmodifiableMap(gauges),
				Collections.unmodifiableMap(timers), Collections.unmodifiableMap(histograms), pipelines);
	}

	private static Map<String, List<Double>> copyValues(Map<String, List<Double>> values) {
		Map<String, List<Double>> copy = new TreeMap<>();
		values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
		return Collections.unmodifiableMap(copy);
	}

	/**
	 * The sum of every update of each counter.
	 * @return the sums by name
	 */
	public Map<String, Double> counters() {
		return this.counters;
	}

	/**
	 * The last value of each gauge.
	 * @return the values by name
	 */
	public Map<String, Double> gauges() {
		return this.gauges;
	}

	/**
	 * The values of each timer, in milliseconds, in the order recorded.
	 * @return the values by name
	 */
	public Map<String, List<Double>> timers() {
		return this.timers;
	}

	/**
	 * The values of each histogram, in the order recorded.
	 * @return the values by name
	 */
	public Map<String, List<Double>> histograms() {
		return this.histograms;
	}

	/**
	 * The number of pipelines closed.
	 * @return the number of pipelines
	 */
	public long pipelines() {
		return this.pipelines;
	}

	/**
	 * The sum of the counter {@code name}.
	 * @param name the final name
	 * @return the sum, {@code 0} when the counter was never recorded
	 */
	public double counter(String name) {
		return this.counters.getOrDefault(name, 0d);
	}

	/**
	 * The last value of the gauge {@code name}.
	 * @param name the final name
	 * @return the value, empty when the gauge was never recorded
	 */
	public OptionalDouble gauge(String name) {
		Double value = this.gauges.get(name);
		return (value != null) ? OptionalDouble.of(value) : OptionalDouble.empty();
	}

	/**
	 * The values of the timer {@code name}.
	 * @param name the final name
	 * @return the values in milliseconds, in the order recorded; empty when none
	 */
	public List<Double> timer(String name) {
		List<Double> values = this.timers.get(name);
		return (values != null) ? Collections.unmodifiableList(values) : List.of();
	}

	/**
	 * The values of the histogram {@code name}.
	 * @param name the final name
	 * @return the values in the order recorded; empty when none
	 */
	public List<Double> histogram(String name) {
		List<Double> values = this.histograms.get(name);
		return (values != null) ? Collections.unmodifiableList(values) : List.of();
	}

	/**
	 * Every name recorded, whatever its kind.
	 * @return the names, sorted
	 */
	public SortedSet<String> names() {
		SortedSet<String> names = new TreeSet<>();
		names.addAll(this.counters.keySet());
		names.addAll(this.gauges.keySet());
		names.addAll(this.timers.keySet());
		names.addAll(this.histograms.keySet());
		return Collections.unmodifiableSortedSet(names);
	}

	/**
	 * Whether nothing has been recorded.
	 * @return {@code true} when no name has been recorded
	 */
	public boolean isEmpty() {
		return this.counters.isEmpty() && this.gauges.isEmpty() && this.timers.isEmpty() && this.histograms.isEmpty();
	}

	/**
	 * What kind of metric {@code name} was recorded as.
	 * @param name the final name
	 * @return the kind, or {@code null} when the name was not recorded (a name recorded
	 * as several kinds gives the first of counter, gauge, timer, histogram)
	 */
	MetricKind kindOf(String name) {
		if (this.counters.containsKey(name)) {
			return MetricKind.COUNTER;
		}
		if (this.gauges.containsKey(name)) {
			return MetricKind.GAUGE;
		}
		if (this.timers.containsKey(name)) {
			return MetricKind.TIMER;
		}
		return this.histograms.containsKey(name) ? MetricKind.HISTOGRAM : null;
	}

	/**
	 * Lists what was recorded, one metric a line, for failure messages.
	 * @return the listing, or a line saying that nothing was recorded
	 */
	String describe() {
		if (isEmpty()) {
			return "  (nothing was recorded)";
		}
		StringBuilder text = new StringBuilder();
		this.counters.forEach((name, sum) -> line(text, MetricKind.COUNTER, name, format(sum)));
		this.gauges.forEach((name, value) -> line(text, MetricKind.GAUGE, name, format(value)));
		this.timers.forEach((name, values) -> line(text, MetricKind.TIMER, name, values(values)));
		this.histograms.forEach((name, values) -> line(text, MetricKind.HISTOGRAM, name, values(values)));
		return text.substring(0, text.length() - 1);
	}

	private static void line(StringBuilder text, MetricKind kind, String name, String value) {
		text.append("  ").append(kind).append(' ').append(name).append(" = ").append(value).append('\n');
	}

	private static String values(List<Double> values) {
		StringBuilder text = new StringBuilder().append(values.size())
			.append((values.size() == 1) ? " value [" : " values [");
		int shown = Math.min(values.size(), 10);
		for (int i = 0; i < shown; i++) {
			text.append((i > 0) ? ", " : "").append(format(values.get(i)));
		}
		return text.append((values.size() > shown) ? ", ...]" : "]").toString();
	}

	static String format(double value) {
		return (value == Math.rint(value) && Math.abs(value) < 1e15) ? Long.toString((long) value)
				: Double.toString(value);
	}

	@Override
	public String toString() {
		return "RecordedMetrics[\n" + describe() + "\n]";
	}

}
