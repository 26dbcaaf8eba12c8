package io.heare.stats.collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the relay has received since its last flush: counter increments, the latest gauge
 * values and the timer and histogram values. The values are capped per name (the oldest
 * are dropped) and in total (new ones are dropped), so that a flood between two flushes
 * cannot exhaust memory; every dropped value is counted. The names are those the
 * {@link MetricStore} accepted, which caps them too.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class ForwardBuffer implements MetricRecorder {

	private final int maxValuesPerName;

	private final int maxValues;

	private int buffered;

	private long dropped;

	private Map<String, Double> counters = new LinkedHashMap<>();

	private Map<String, Double> gauges = new LinkedHashMap<>();

	private Map<String, List<Double>> timers = new LinkedHashMap<>();

	private Map<String, List<Double>> histograms = new LinkedHashMap<>();

	/**
	 * Creates an empty buffer.
	 * @param maxValuesPerName cap on the values kept per timer or histogram
	 * @param maxValues cap on the timer and histogram values kept in all
	 */
	public ForwardBuffer(int maxValuesPerName, int maxValues) {
		this.maxValuesPerName = Math.max(1, maxValuesPerName);
		this.maxValues = Math.max(1, maxValues);
	}

	@Override
	public synchronized void counter(String name, double delta) {
		this.counters.merge(name, delta, Double::sum);
	}

	@Override
	public synchronized void gauge(String name, double value) {
		this.gauges.put(name, value);
	}

	@Override
	public synchronized void timer(String name, double millis) {
		addIfRoom(this.timers, name, millis);
	}

	@Override
	public synchronized void histogram(String name, double value) {
		addIfRoom(this.histograms, name, value);
	}

	private void addIfRoom(Map<String, List<Double>> target, String name, double value) {
		if (this.buffered >= this.maxValues) {
			this.dropped++;
			return;
		}
		add(target, name, List.of(value));
	}

	/**
	 * Returns how many timer and histogram values were dropped since start because a cap
	 * was reached.
	 * @return the count of dropped values
	 */
	public synchronized long droppedValues() {
		return this.dropped;
	}

	/**
	 * Takes everything buffered and leaves the buffer empty.
	 * @return the batch, possibly empty
	 */
	public synchronized MetricBatch drain() {
		MetricBatch batch = new MetricBatch(this.counters, this.gauges, this.timers, this.histograms);
		this.counters = new LinkedHashMap<>();
		this.gauges = new LinkedHashMap<>();
		this.timers = new LinkedHashMap<>();
		this.histograms = new LinkedHashMap<>();
		this.buffered = 0;
		return batch;
	}

	/**
	 * Puts back a batch whose forwarding failed, so that the next flush retries it.
	 * Values received since the drain stay newer: their gauges win and their timer and
	 * histogram values follow the restored ones. The total cap holds after a restore too:
	 * restored values beyond it are dropped, oldest first, and counted.
	 * @param batch the batch that was not forwarded
	 */
	public synchronized void restore(MetricBatch batch) {
		batch.counters().forEach((name, delta) -> this.counters.merge(name, delta, Double::sum));
		batch.gauges().forEach(this.gauges::putIfAbsent);
		Map<String, Integer> restoredTimers = restoreLists(this.timers, batch.timers());
		Map<String, Integer> restoredHistograms = restoreLists(this.histograms, batch.histograms());
		dropRestoredOverCap(this.timers, restoredTimers);
		dropRestoredOverCap(this.histograms, restoredHistograms);
	}

	/**
	 * Puts restored values in front of the newer ones.
	 * @return how many restored values lead each name's list
	 */
	private Map<String, Integer> restoreLists(Map<String, List<Double>> target, Map<String, List<Double>> restored) {
		Map<String, Integer> leading = new LinkedHashMap<>();
		restored.forEach((name, values) -> {
			List<Double> newer = target.remove(name);
			if (newer != null) {
				this.buffered -= newer.size();
			}
			add(target, name, values);
			if (newer != null) {
				add(target, name, newer);
			}
			List<Double> list = target.get(name);
			int newerKept = (newer != null) ? Math.min(newer.size(), list.size()) : 0;
			leading.put(name, list.size() - newerKept);
		});
		return leading;
	}

	private void dropRestoredOverCap(Map<String, List<Double>> target, Map<String, Integer> leading) {
		for (Map.Entry<String, Integer> entry : leading.entrySet()) {
			int excess = this.buffered - this.maxValues;
			if (excess <= 0) {
				return;
			}
			List<Double> list = target.get(entry.getKey());
			int drop = Math.min(excess, entry.getValue());
			list.subList(0, drop).clear();
			if (list.isEmpty()) {
				target.remove(entry.getKey());
			}
			this.buffered -= drop;
			this.dropped += drop;
		}
	}

	private void add(Map<String, List<Double>> target, String name, List<Double> values) {
		List<Double> list = target.computeIfAbsent(name, (key) -> new ArrayList<>());
		list.addAll(values);
		this.buffered += values.size();
		int excess = list.size() - this.maxValuesPerName;
		if (excess > 0) {
			list.subList(0, excess).clear();
			this.buffered -= excess;
			this.dropped += excess;
		}
	}

}
