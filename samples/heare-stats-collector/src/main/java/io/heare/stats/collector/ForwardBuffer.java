package io.heare.stats.collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the relay has received since its last flush: counter increments, the latest
 * gauge values and the timer and histogram values, each list capped so that an
 * unreachable upstream cannot exhaust memory (the oldest values are dropped).
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class ForwardBuffer implements MetricRecorder {

	private final int maxValuesPerName;

	private Map<String, Double> counters = new LinkedHashMap<>();

	private Map<String, Double> gauges = new LinkedHashMap<>();

	private Map<String, List<Double>> timers = new LinkedHashMap<>();

	private Map<String, List<Double>> histograms = new LinkedHashMap<>();

	/**
	 * Creates an empty buffer.
	 * @param maxValuesPerName cap on the values kept per timer or histogram
	 */
	public ForwardBuffer(int maxValuesPerName) {
		this.maxValuesPerName = Math.max(1, maxValuesPerName);
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
		add(this.timers, name, List.of(millis));
	}

	@Override
	public synchronized void histogram(String name, double value) {
		add(this.histograms, name, List.of(value));
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
		return batch;
	}

	/**
	 * Puts back a batch whose forwarding failed, so that the next flush retries it.
	 * Values received since the drain stay newer: their gauges win and their timer and
	 * histogram values follow the restored ones.
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
		if (list.size() > this.maxValuesPerName) {
			list.subList(0, list.size() - this.maxValuesPerName).clear();
		}
	}

}
