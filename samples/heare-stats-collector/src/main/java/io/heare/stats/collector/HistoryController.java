package io.heare.stats.collector;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/history}: the time series the dashboard draws, with the totals, so that
 * the page needs one request per refresh.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@RestController
public class HistoryController {

	/** Most charts one response carries, whatever the page asks for. */
	static final int MAX_CHARTS = 200;

	private final MetricHistory history;

	private final CollectorStatus status;

	/**
	 * Creates a new instance.
	 * @param history the series
	 * @param status the totals and name counts
	 */
	public HistoryController(MetricHistory history, CollectorStatus status) {
		this.history = history;
		this.status = status;
	}

	/**
	 * Returns the pinned charts and the charts of the metrics whose name contains
	 * {@code filter}.
	 * @param filter text the names must contain, ignoring case
	 * @param limit how many metric charts at most (capped at {@value #MAX_CHARTS})
	 * @param since only points after this time, in epoch seconds; 0 for the whole history
	 * @return {@code interval} (ms), {@code times} (epoch seconds), {@code pinned},
	 * {@code charts} (each with {@code name kind unit lines data}), {@code matched},
	 * {@code totals} and {@code names}
	 */
	@GetMapping("/api/history")
	public Map<String, Object> history(@RequestParam(defaultValue = "") String filter,
			@RequestParam(defaultValue = "48") int limit, @RequestParam(defaultValue = "0") double since) {
		Map<String, Object> view = this.history.view(filter, Math.max(0, Math.min(MAX_CHARTS, limit)), since);
		view.put("totals", this.status.totals());
		view.put("names", this.status.names());
		return view;
	}

}
