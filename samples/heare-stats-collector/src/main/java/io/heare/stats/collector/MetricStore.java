package io.heare.stats.collector;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The collector's cumulative view of every metric, aggregated like the StatsD relay:
 * counters sum, gauges keep the last value, timers and histograms keep a
 * {@link Distribution}. Everything recorded is also passed to a downstream
 * {@link MetricRecorder} (the relay's forward buffer). Thread-safe.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class MetricStore implements MetricRecorder {

	private final ConcurrentMap<String, DoubleAdder> counters = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Double> gauges = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Distribution> timers = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Distribution> histograms = new ConcurrentHashMap<>();

	private final int reservoirSize;

	private final MetricRecorder downstream;

	/**
	 * Creates an empty store.
	 * @param reservoirSize how many recent values each timer and histogram keeps
	 * @param downstream where every recorded value is passed on
	 */
	public MetricStore(int reservoirSize, MetricRecorder downstream) {
		this.reservoirSize = reservoirSize;
		this.downstream = downstream;
	}

	@Override
	public void counter(String name, double delta) {
		this.counters.computeIfAbsent(name, (key) -> new DoubleAdder()).add(delta);
		this.downstream.counter(name, delta);
	}

	@Override
	public void gauge(String name, double value) {
		// Inside compute so that concurrent writers reach downstream in the same order.
		this.gauges.compute(name, (key, old) -> {
			this.downstream.gauge(name, value);
			return value;
		});
	}

	/**
	 * Adds to a gauge, the meaning of a StatsD gauge value with a leading sign. A gauge
	 * not seen before starts at zero.
	 * @param name the metric name
	 * @param delta the signed change
	 */
	public void gaugeDelta(String name, double delta) {
		this.gauges.compute(name, (key, old) -> {
			double value = ((old != null) ? old : 0.0) + delta;
			this.downstream.gauge(name, value);
			return value;
		});
	}

	@Override
	public void timer(String name, double millis) {
		this.timers.computeIfAbsent(name, (key) -> new Distribution(this.reservoirSize)).record(millis);
		this.downstream.timer(name, millis);
	}

	@Override
	public void histogram(String name, double value) {
		this.histograms.computeIfAbsent(name, (key) -> new Distribution(this.reservoirSize)).record(value);
		this.downstream.histogram(name, value);
	}

	/**
	 * Records every metric of a batch, in the batch's order.
	 * @param batch the batch
	 */
	public void record(MetricBatch batch) {
		batch.counters().forEach(this::counter);
		batch.gauges().forEach(this::gauge);
		batch.timers().forEach((name, values) -> values.forEach((value) -> timer(name, value)));
		batch.histograms().forEach((name, values) -> values.forEach((value) -> histogram(name, value)));
	}

	/**
	 * Forgets every metric. Values already passed downstream are not affected.
	 */
	public void reset() {
		this.counters.clear();
		this.gauges.clear();
		this.timers.clear();
		this.histograms.clear();
	}

	/**
	 * Returns the current values, sorted by name.
	 * @return the snapshot
	 */
	public Snapshot snapshot() {
		Map<String, Double> counterValues = new TreeMap<>();
		this.counters.forEach((name, adder) -> counterValues.put(name, adder.sum()));
		Map<String, Distribution.Snapshot> timerValues = new TreeMap<>();
		this.timers.forEach((name, distribution) -> timerValues.put(name, distribution.snapshot()));
		Map<String, Distribution.Snapshot> histogramValues = new TreeMap<>();
		this.histograms.forEach((name, distribution) -> histogramValues.put(name, distribution.snapshot()));
		return new Snapshot(counterValues, new TreeMap<>(this.gauges), timerValues, histogramValues);
	}

	/**
	 * Point-in-time view of a {@link MetricStore}.
	 *
	 * @param counters counter totals by name
	 * @param gauges gauge values by name
	 * @param timers timer distributions by name
	 * @param histograms histogram distributions by name
	 */
	public record Snapshot(Map<String, Double> counters, Map<String, Double> gauges,
			Map<String, Distribution.Snapshot> timers, Map<String, Distribution.Snapshot> histograms) {
	}

}
