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
 * sanitized) name, each map sorted by name.
 *
 * @param counters the sum of every update of each counter
 * @param gauges the last value of each gauge
 * @param timers the values of each timer, in milliseconds, in the order recorded
 * @param histograms the values of each histogram, in the order recorded
 * @param pipelines the number of pipelines closed
 * @author heare-stats
 * @since 0.1.0
 */
public record RecordedMetrics(Map<String, Double> counters, Map<String, Double> gauges,
		Map<String, List<Double>> timers, Map<String, List<Double>> histograms, long pipelines) {

	public RecordedMetrics {
		counters = Collections.unmodifiableMap(new TreeMap<>(counters));
		gauges = Collections.unmodifiableMap(new TreeMap<>(gauges));
		timers = Collections.unmodifiableMap(new TreeMap<>(timers));
		histograms = Collections.unmodifiableMap(new TreeMap<>(histograms));
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
		return this.timers.getOrDefault(name, List.of());
	}

	/**
	 * The values of the histogram {@code name}.
	 * @param name the final name
	 * @return the values in the order recorded; empty when none
	 */
	public List<Double> histogram(String name) {
		return this.histograms.getOrDefault(name, List.of());
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
		this.counters.forEach((name, sum) -> line(text, "counter", name, format(sum)));
		this.gauges.forEach((name, value) -> line(text, "gauge", name, format(value)));
		this.timers.forEach((name, values) -> line(text, "timer", name, values(values)));
		this.histograms.forEach((name, values) -> line(text, "histogram", name, values(values)));
		return text.substring(0, text.length() - 1);
	}

	private static void line(StringBuilder text, String kind, String name, String value) {
		text.append("  ").append(kind).append(' ').append(name).append(" = ").append(value).append('\n');
	}

	private static String values(List<Double> values) {
		StringBuilder text = new StringBuilder().append(values.size()).append(values.size() == 1 ? " value [" : " values [");
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

}
