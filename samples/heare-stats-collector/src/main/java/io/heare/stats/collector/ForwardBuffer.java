package io.heare.stats.collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the relay has received since its last flush: counter increments, the latest
 * gauge values and the timer and histogram values. The values are capped per name (the
 * oldest are dropped) and in total (new ones are dropped), so that a flood between two
 * flushes cannot exhaust memory; every dropped value is counted. The names are those the
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
	 * histogram values follow the restored ones. The restored values are not held to the
	 * total cap (they were within it), so the buffer holds at most twice that many.
	 * @param batch the batch that was not forwarded
	 */
	public synchronized void restore(MetricBatch batch) {
		batch.counters().forEach((name, delta) -> this.counters.merge(name, delta, Double::sum));
		batch.gauges().forEach(this.gauges::putIfAbsent);
		restoreLists(this.timers, batch.timers());
		restoreLists(this.histograms, batch.histograms());
	}

	private void restoreLists(Map<String, List<Double>> target, Map<String, List<Double>> restored) {
		restored.forEach((name, values) -> {
			List<Double> newer = target.remove(name);
			add(target, name, values);
			if (newer != null) {
				add(target, name, newer);
			}
		});
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
