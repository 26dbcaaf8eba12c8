package io.heare.stats.collector;

import java.util.List;
import java.util.Map;

/**
 * One batch of metrics in the shape of the HTTP body: counters and gauges by name, and
 * the values of each timer and histogram in the order they were recorded.
 *
 * @param counters counter increments by name
 * @param gauges last gauge value by name
 * @param timers timer values in milliseconds by name
 * @param histograms histogram values by name
 * @author heare-stats
 * @since 0.1.0
 */
public record MetricBatch(Map<String, Double> counters, Map<String, Double> gauges, Map<String, List<Double>> timers,
		Map<String, List<Double>> histograms) {

	/**
	 * Copies the maps so that a batch cannot change after it was built.
	 */
	public MetricBatch {
		counters = Map.copyOf(counters);
		gauges = Map.copyOf(gauges);
		timers = Map.copyOf(timers);
		histograms = Map.copyOf(histograms);
	}

	/**
	 * Returns whether the batch holds no metric at all.
	 * @return {@code true} if every map is empty
	 */
	public boolean isEmpty() {
		return this.counters.isEmpty() && this.gauges.isEmpty() && this.timers.isEmpty() && this.histograms.isEmpty();
	}

}
