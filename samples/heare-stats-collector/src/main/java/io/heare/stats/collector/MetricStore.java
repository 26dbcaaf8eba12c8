package io.heare.stats.collector;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The collector's cumulative view of every metric, aggregated like the StatsD relay:
 * counters sum, gauges keep the last value, timers and histograms keep a
 * {@link Distribution}. Everything recorded is also passed to a downstream
 * {@link MetricRecorder} (the relay's forward buffer). The number of names and their
 * length are capped, so that a client sending ever new or ever longer names cannot
 * exhaust memory; updates it refuses are neither stored nor passed on, only counted.
 * Thread-safe.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class MetricStore implements MetricRecorder {

	private final ConcurrentHashMap<String, DoubleAdder> counters = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Double> gauges = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Distribution> timers = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Distribution> histograms = new ConcurrentHashMap<>();

	private final int reservoirSize;

	private final int maxNames;

	private final int maxNameLength;

	private final AtomicLong refusedUpdates = new AtomicLong();

	private final AtomicLong refusedLongNames = new AtomicLong();

	private final MetricRecorder downstream;

	/**
	 * Creates an empty store.
	 * @param reservoirSize how many recent values each timer and histogram keeps at most
	 * @param maxNames how many names (of all kinds together) the store holds at most;
	 * updates of further names are refused and counted
	 * @param maxNameLength how many characters a name has at most; updates of longer
	 * names are refused and counted
	 * @param downstream where every recorded value is passed on
	 */
	public MetricStore(int reservoirSize, int maxNames, int maxNameLength, MetricRecorder downstream) {
		this.reservoirSize = reservoirSize;
		this.maxNames = maxNames;
		this.maxNameLength = maxNameLength;
		this.downstream = downstream;
	}

	@Override
	public void counter(String name, double delta) {
		DoubleAdder adder = admit(this.counters, name, DoubleAdder::new);
		if (adder != null) {
			adder.add(delta);
			this.downstream.counter(name, delta);
		}
	}

	@Override
	public void gauge(String name, double value) {
		updateGauge(name, (old) -> value);
	}

	/**
	 * Adds to a gauge, the meaning of a StatsD gauge value with a leading sign. A gauge
	 * not seen before starts at zero.
	 * @param name the metric name
	 * @param delta the signed change
	 */
	public void gaugeDelta(String name, double delta) {
		updateGauge(name, (old) -> ((old != null) ? old : 0.0) + delta);
	}

	private void updateGauge(String name, Function<@Nullable Double, Double> update) {
		if (isTooLong(name)) {
			return;
		}
		// Inside compute so that concurrent writers reach downstream in the same order.
		Double result = this.gauges.compute(name, (key, old) -> {
			if (old == null && !hasRoom()) {
				return null;
			}
			double value = update.apply(old);
			this.downstream.gauge(name, value);
			return value;
		});
		if (result == null) {
			this.refusedUpdates.incrementAndGet();
		}
	}

	@Override
	public void timer(String name, double millis) {
		Distribution distribution = admit(this.timers, name, () -> new Distribution(this.reservoirSize));
		if (distribution != null) {
			distribution.record(millis);
			this.downstream.timer(name, millis);
		}
	}

	@Override
	public void histogram(String name, double value) {
		Distribution distribution = admit(this.histograms, name, () -> new Distribution(this.reservoirSize));
		if (distribution != null) {
			distribution.record(value);
			this.downstream.histogram(name, value);
		}
	}

	private <V> @Nullable V admit(ConcurrentMap<String, V> map, String name, Supplier<V> factory) {
		// Checked first: a name that is too long is never held, so it never needs a
		// lookup.
		if (isTooLong(name)) {
			return null;
		}
		V existing = map.get(name);
		if (existing != null) {
			return existing;
		}
		V created = map.computeIfAbsent(name, (key) -> hasRoom() ? factory.get() : null);
		if (created == null) {
			this.refusedUpdates.incrementAndGet();
		}
		return created;
	}

	private boolean isTooLong(String name) {
		if (name.length() <= this.maxNameLength) {
			return false;
		}
		this.refusedLongNames.incrementAndGet();
		return true;
	}

	/**
	 * Whether another name fits. Writers adding different names at the same moment may
	 * pass the cap by one name each, which keeps the check free of a global lock.
	 */
	private boolean hasRoom() {
		return names() < this.maxNames;
	}

	/**
	 * Returns how many names the store holds, of all kinds together.
	 * @return the number of names
	 */
	public long names() {
		return this.counters.mappingCount() + this.gauges.mappingCount() + this.timers.mappingCount()
				+ this.histograms.mappingCount();
	}

	/**
	 * Returns how many updates were refused since start or reset because they named a new
	 * metric when the store already held its maximum number of names.
	 * @return the count of refused updates
	 */
	public long refusedUpdates() {
		return this.refusedUpdates.get();
	}

	/**
	 * Returns how many updates were refused since start or reset because their name was
	 * longer than the maximum name length.
	 * @return the count of refused updates
	 */
	public long refusedLongNames() {
		return this.refusedLongNames.get();
	}

	/**
	 * Returns the live counters, for the history sampler.
	 * @return the counters by name
	 */
	Map<String, DoubleAdder> counters() {
		return this.counters;
	}

	/**
	 * Returns the live gauges, for the history sampler.
	 * @return the gauges by name
	 */
	Map<String, Double> gauges() {
		return this.gauges;
	}

	/**
	 * Returns the live timers, for the history sampler.
	 * @return the timers by name
	 */
	Map<String, Distribution> timers() {
		return this.timers;
	}

	/**
	 * Returns the live histograms, for the history sampler.
	 * @return the histograms by name
	 */
	Map<String, Distribution> histograms() {
		return this.histograms;
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
		this.refusedUpdates.set(0);
		this.refusedLongNames.set(0);
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
