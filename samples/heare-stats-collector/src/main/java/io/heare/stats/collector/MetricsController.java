package io.heare.stats.collector;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/metrics} shows what the collector holds, for scripts, tests and the
 * dashboard; {@code POST /api/reset} clears it between tests.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@RestController
public class MetricsController {

	private final MetricStore store;

	private final CollectorTotals totals;

	private final MetricHistory history;

	private final int maxNames;

	private final @Nullable ForwardBuffer forwardBuffer;

	/**
	 * Creates a new instance.
	 * @param store the metrics
	 * @param totals the totals
	 * @param history the dashboard's time series
	 * @param properties the settings
	 * @param forwardBuffer the relay's buffer, in relay mode
	 */
	public MetricsController(MetricStore store, CollectorTotals totals, MetricHistory history,
			CollectorProperties properties, ObjectProvider<ForwardBuffer> forwardBuffer) {
		this.forwardBuffer = forwardBuffer.getIfAvailable();
		this.store = store;
		this.totals = totals;
		this.history = history;
		this.maxNames = properties.getMaxNames();
	}

	/**
	 * Returns every metric and the totals. Integral values are written as JSON integers.
	 * @return the view
	 */
	@GetMapping("/api/metrics")
	public Map<String, Object> metrics() {
		// Totals first: ingestion stores a line's data before counting it, so the data read
		// after the totals covers at least every line they count.
		Map<String, Long> totals = totals();
		MetricStore.Snapshot snapshot = this.store.snapshot();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("counters", numbers(snapshot.counters()));
		view.put("gauges", numbers(snapshot.gauges()));
		view.put("timers", distributions(snapshot.timers()));
		view.put("histograms", distributions(snapshot.histograms()));
		view.put("totals", totals);
		view.put("names", names());
		return view;
	}

	/**
	 * Returns the totals, including {@code droppedOverNameLimit}: updates refused because
	 * they named a new metric when {@code collector.max-names} names were held, and
	 * {@code forwardDroppedValues}: values the relay's buffer had no room for.
	 * @return the totals by name
	 */
	Map<String, Long> totals() {
		Map<String, Long> totals = this.totals.snapshot();
		totals.put("droppedOverNameLimit", this.store.refusedUpdates());
		totals.put("forwardDroppedValues", (this.forwardBuffer != null) ? this.forwardBuffer.droppedValues() : 0);
		return totals;
	}

	/**
	 * Returns how many names are held and the maximum.
	 * @return {@code held} and {@code max}
	 */
	Map<String, Long> names() {
		Map<String, Long> names = new LinkedHashMap<>();
		names.put("held", this.store.names());
		names.put("max", (long) this.maxNames);
		return names;
	}

	/**
	 * Clears every metric, total and time series. Only with a JSON content type (the body is ignored),
	 * so that a web page cannot post here with a form or as text without a CORS preflight.
	 * @return 204
	 */
	@PostMapping(path = "/api/reset", consumes = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<Void> reset() {
		this.store.reset();
		this.totals.reset();
		this.history.reset();
		return ResponseEntity.noContent().build();
	}

	private static Map<String, Number> numbers(Map<String, Double> values) {
		Map<String, Number> result = new LinkedHashMap<>();
		values.forEach((name, value) -> result.put(name, MetricBatchJson.jsonNumber(value)));
		return result;
	}

	private static Map<String, Object> distributions(Map<String, Distribution.Snapshot> values) {
		Map<String, Object> result = new LinkedHashMap<>();
		values.forEach((name, snapshot) -> {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("count", snapshot.count());
			view.put("sum", MetricBatchJson.jsonNumber(snapshot.sum()));
			view.put("min", MetricBatchJson.jsonNumber(snapshot.min()));
			view.put("max", MetricBatchJson.jsonNumber(snapshot.max()));
			view.put("p50", MetricBatchJson.jsonNumber(snapshot.p50()));
			view.put("p95", MetricBatchJson.jsonNumber(snapshot.p95()));
			view.put("p99", MetricBatchJson.jsonNumber(snapshot.p99()));
			view.put("recent", Arrays.stream(snapshot.recent()).mapToObj(MetricBatchJson::jsonNumber).toList());
			result.put(name, view);
		});
		return result;
	}

}
