package io.heare.stats.collector;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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

	private final CollectorStatus status;

	/**
	 * Creates a new instance.
	 * @param store the metrics
	 * @param totals the totals, reset here
	 * @param history the dashboard's time series, reset here
	 * @param status the totals and name counts shown
	 */
	public MetricsController(MetricStore store, CollectorTotals totals, MetricHistory history, CollectorStatus status) {
		this.store = store;
		this.totals = totals;
		this.history = history;
		this.status = status;
	}

	/**
	 * Returns every metric and the totals. Integral values are written as JSON integers.
	 * @return the view
	 */
	@GetMapping("/api/metrics")
	public Map<String, Object> metrics() {
		// Totals first: ingestion stores a line's data before counting it, so the data
		// read after the totals covers at least every line they count.
		Map<String, Long> totals = this.status.totals();
		MetricStore.Snapshot snapshot = this.store.snapshot();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("counters", numbers(snapshot.counters()));
		view.put("gauges", numbers(snapshot.gauges()));
		view.put("timers", distributions(snapshot.timers()));
		view.put("histograms", distributions(snapshot.histograms()));
		view.put("totals", totals);
		view.put("names", this.status.names());
		return view;
	}

	/**
	 * Clears every metric, total and time series. Only with a JSON content type (the body
	 * is ignored), so that a web page cannot post here with a form or as text without a
	 * CORS preflight.
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
