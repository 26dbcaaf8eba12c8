package io.heare.stats.collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;

import org.jspecify.annotations.Nullable;

/**
 * A short time series per metric for the dashboard's charts: every interval, one point
 * per metric (counters as a rate per second, gauges as their value, timers and histograms
 * as the p50, p95 and p99 of the values recorded in that interval), kept for a fixed
 * number of points. Each series starts small and grows to that number, and there is at
 * most one series per name the {@link MetricStore} holds, so memory stays bounded.
 * <p>
 * Three pinned series add up the HTTP server metrics of every application that reports
 * them under its own prefix: the request rate ({@code *http.server.requests.total}), the
 * error rate ({@code *http.server.requests.error}) and the response time
 * ({@code *http.server.response.time}, percentiles over all of them together).
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class MetricHistory {

	/**
	 * Points a new series has room for; it doubles when full until it holds the maximum.
	 */
	static final int INITIAL_POINTS = 16;

	private static final String[] PERCENTILE_LINES = { "p50", "p95", "p99" };

	private static final double[] PERCENTILES = { 0.50, 0.95, 0.99 };

	private final int maxPoints;

	private final long intervalMillis;

	private final long[] times;

	private int timesStart;

	private int timesSize;

	private long tick;

	private long lastSampleMillis = -1;

	/**
	 * The series of each kind by metric name (one map per kind, so names are not copied
	 * into keys).
	 */
	private final Map<Kind, Map<String, Series>> series = new EnumMap<>(Kind.class);

	private final Series requestRate;

	private final Series errorRate;

	private final Series responseTime;

	/**
	 * Creates an empty history.
	 * @param maxPoints how many points each series keeps
	 * @param intervalMillis the time between two samples
	 */
	public MetricHistory(int maxPoints, long intervalMillis) {
		this.maxPoints = maxPoints;
		this.intervalMillis = intervalMillis;
		this.times = new long[maxPoints];
		this.requestRate = new Series("request rate", Kind.PINNED_RATE, "requests/s");
		this.errorRate = new Series("error rate", Kind.PINNED_RATE, "errors/s");
		this.responseTime = new Series("response time", Kind.PINNED_TIME, "ms");
	}

	/**
	 * Adds one point to the series of every metric the store holds.
	 * @param store the metrics
	 * @param nowMillis the time of this sample
	 */
	public synchronized void sample(MetricStore store, long nowMillis) {
		double seconds = ((this.lastSampleMillis < 0) ? this.intervalMillis : nowMillis - this.lastSampleMillis)
				/ 1000.0;
		this.lastSampleMillis = nowMillis;
		this.tick++;
		addTime(nowMillis);
		double requests = Double.NaN;
		double errors = Double.NaN;
		List<double[]> responseTimes = new ArrayList<>();
		for (Map.Entry<String, DoubleAdder> counter : store.counters().entrySet()) {
			Series series = series(Kind.COUNTER, counter.getKey());
			double total = counter.getValue().sum();
			double rate = (total - series.lastTotal) / seconds;
			series.lastTotal = total;
			series.append((float) rate);
			if (isHttp(counter.getKey(), "http.server.requests.total")) {
				requests = (Double.isNaN(requests) ? 0 : requests) + rate;
			}
			else if (isHttp(counter.getKey(), "http.server.requests.error")) {
				errors = (Double.isNaN(errors) ? 0 : errors) + rate;
			}
		}
		for (Map.Entry<String, Double> gauge : store.gauges().entrySet()) {
			series(Kind.GAUGE, gauge.getKey()).append(gauge.getValue().floatValue());
		}
		for (Map.Entry<String, Distribution> timer : store.timers().entrySet()) {
			double[] values = timer.getValue().sortedSinceLastSample();
			series(Kind.TIMER, timer.getKey()).append(percentiles(values));
			if (isHttp(timer.getKey(), "http.server.response.time")) {
				responseTimes.add(values);
			}
		}
		for (Map.Entry<String, Distribution> histogram : store.histograms().entrySet()) {
			series(Kind.HISTOGRAM, histogram.getKey())
				.append(percentiles(histogram.getValue().sortedSinceLastSample()));
		}
		// A series whose name the store no longer holds (after a reset) is dropped.
		this.series.values().forEach((named) -> named.values().removeIf((series) -> series.lastTick != this.tick));
		if (!Double.isNaN(errors) && Double.isNaN(requests)) {
			requests = 0;
		}
		if (!Double.isNaN(requests) && Double.isNaN(errors)) {
			errors = 0;
		}
		this.requestRate.append((float) requests);
		this.errorRate.append((float) errors);
		this.responseTime.append(percentiles(pool(responseTimes)));
	}

	private static boolean isHttp(String name, String suffix) {
		return name.endsWith(suffix)
				&& (name.length() == suffix.length() || name.charAt(name.length() - suffix.length() - 1) == '.');
	}

	private Series series(Kind kind, String name) {
		Series series = this.series.computeIfAbsent(kind, (key) -> new HashMap<>())
			.computeIfAbsent(name, (key) -> new Series(name, kind, kind.unit));
		series.lastTick = this.tick;
		return series;
	}

	private void addTime(long millis) {
		if (this.timesSize < this.maxPoints) {
			this.times[(this.timesStart + this.timesSize++) % this.maxPoints] = millis;
		}
		else {
			this.times[this.timesStart] = millis;
			this.timesStart = (this.timesStart + 1) % this.maxPoints;
		}
	}

	private static float[] percentiles(double[] sorted) {
		float[] points = new float[PERCENTILES.length];
		for (int i = 0; i < PERCENTILES.length; i++) {
			points[i] = (float) Distribution.percentile(sorted, PERCENTILES[i]);
		}
		return points;
	}

	private static double[] pool(List<double[]> arrays) {
		if (arrays.size() == 1) {
			return arrays.get(0);
		}
		double[] all = arrays.stream().flatMapToDouble(Arrays::stream).toArray();
		Arrays.sort(all);
		return all;
	}

	/**
	 * Forgets every series and point.
	 */
	public synchronized void reset() {
		this.series.clear();
		this.requestRate.clear();
		this.errorRate.clear();
		this.responseTime.clear();
		this.timesSize = 0;
		this.timesStart = 0;
	}

	/**
	 * Returns the charts of the metrics whose name contains {@code filter}, sorted by
	 * name, and the pinned charts, as JSON-ready maps with {@code null} for "no value".
	 * @param filter text the names must contain, ignoring case; empty for all
	 * @param limit how many metrics at most
	 * @param sinceSeconds only points after this time (epoch seconds); 0 for all
	 * @return the view
	 */
	public synchronized Map<String, Object> view(String filter, int limit, double sinceSeconds) {
		int points = 0;
		while (points < this.timesSize && time(this.timesSize - 1 - points) > sinceSeconds) {
			points++;
		}
		List<Double> times = new ArrayList<>(points);
		for (int i = this.timesSize - points; i < this.timesSize; i++) {
			times.add(time(i));
		}
		String needle = filter.toLowerCase(Locale.ROOT);
		List<Series> matched = this.series.values()
			.stream()
			.flatMap((named) -> named.values().stream())
			.filter((series) -> series.name.toLowerCase(Locale.ROOT).contains(needle))
			.sorted(Comparator.comparing((Series series) -> series.name).thenComparing((series) -> series.kind))
			.toList();
		List<Object> charts = new ArrayList<>();
		for (Series series : matched.subList(0, Math.min(limit, matched.size()))) {
			charts.add(series.view(points));
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("interval", this.intervalMillis);
		view.put("points", this.maxPoints);
		view.put("times", times);
		view.put("pinned",
				List.of(this.requestRate.view(points), this.errorRate.view(points), this.responseTime.view(points)));
		view.put("charts", charts);
		view.put("matched", matched.size());
		return view;
	}

	private double time(int index) {
		return this.times[(this.timesStart + index) % this.maxPoints] / 1000.0;
	}

	enum Kind {

		COUNTER("counter", "/s", "rate"), GAUGE("gauge", "", "value"), TIMER("timer", "ms", PERCENTILE_LINES),
		HISTOGRAM("histogram", "", PERCENTILE_LINES), PINNED_RATE("pinned", "/s", "rate"),
		PINNED_TIME("pinned", "ms", PERCENTILE_LINES);

		final String id;

		final String unit;

		final String[] lines;

		Kind(String id, String unit, String... lines) {
			this.id = id;
			this.unit = unit;
			this.lines = lines;
		}

	}

	/**
	 * The points of one metric: a ring per line that grows up to the history's length.
	 */
	private final class Series {

		final String name;

		final Kind kind;

		final String unit;

		float[][] lines;

		int start;

		int size;

		double lastTotal;

		long lastTick;

		Series(String name, Kind kind, String unit) {
			this.name = name;
			this.kind = kind;
			this.unit = unit;
			this.lines = new float[kind.lines.length][Math.min(INITIAL_POINTS, MetricHistory.this.maxPoints)];
		}

		void append(float... point) {
			int length = this.lines[0].length;
			if (this.size == length && length < MetricHistory.this.maxPoints) {
				// Not wrapped yet while it can grow, so the points are in order from
				// index 0.
				int grown = Math.min(MetricHistory.this.maxPoints, length * 2);
				for (int i = 0; i < this.lines.length; i++) {
					this.lines[i] = Arrays.copyOf(this.lines[i], grown);
				}
				length = grown;
			}
			int slot;
			if (this.size < length) {
				slot = (this.start + this.size++) % length;
			}
			else {
				slot = this.start;
				this.start = (this.start + 1) % length;
			}
			for (int i = 0; i < this.lines.length; i++) {
				this.lines[i][slot] = point[i];
			}
		}

		void clear() {
			this.start = 0;
			this.size = 0;
			this.lastTotal = 0;
		}

		Map<String, Object> view(int points) {
			List<List<@Nullable Float>> data = new ArrayList<>();
			for (float[] line : this.lines) {
				List<@Nullable Float> values = new ArrayList<>(points);
				for (int i = points; i > this.size; i--) {
					values.add(null);
				}
				for (int i = Math.max(0, this.size - points); i < this.size; i++) {
					float value = line[(this.start + i) % line.length];
					values.add(Float.isFinite(value) ? value : null);
				}
				data.add(values);
			}
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("name", this.name);
			view.put("kind", this.kind.id);
			view.put("unit", this.unit);
			view.put("lines", List.of(this.kind.lines));
			view.put("data", data);
			return view;
		}

	}

}
