package io.heare.stats.collector;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /http}: one JSON batch per request, as the Python client sends it.
 * Authentication is checked before this runs, by {@link BasicAuthWebFilter}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@RestController
public class IngestController {

	private static final Logger logger = LoggerFactory.getLogger(IngestController.class);

	private final MetricStore store;

	private final CollectorTotals totals;

	/**
	 * Creates a new instance.
	 * @param store where metrics go
	 * @param totals where request totals go
	 */
	public IngestController(MetricStore store, CollectorTotals totals) {
		this.store = store;
		this.totals = totals;
	}

	/**
	 * Records one batch.
	 * @param body the JSON body
	 * @return 200, or 400 with the reason; other content types than JSON get 415, so that
	 * a web page cannot post here with a form or as text without a CORS preflight
	 */
	@PostMapping(path = "/http", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<Map<String, String>> ingest(@RequestBody(required = false) @Nullable String body) {
		MetricBatch batch;
		try {
			batch = MetricBatchJson.read(body);
		}
		catch (MalformedBatchException ex) {
			this.totals.rejectedMalformed.incrementAndGet();
			logger.info("Rejected HTTP batch: {}", ex.getMessage());
			return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
		}
		this.store.record(batch);
		this.totals.requestsAccepted.incrementAndGet();
		return ResponseEntity.ok(Map.of("status", "ok"));
	}

}
