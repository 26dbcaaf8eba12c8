package io.heare.stats.collector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of what the collector received and rejected, so that a test can assert
 * that a client sent (or failed to send) what it should.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class CollectorTotals {

	/** HTTP bodies and WebSocket frames that were recorded. */
	final AtomicLong requestsAccepted = new AtomicLong();

	/** WebSocket frames that were recorded (included in {@link #requestsAccepted}). */
	final AtomicLong wsFramesAccepted = new AtomicLong();

	/**
	 * HTTP requests and WebSocket handshakes answered with 401, or 403 for another web
	 * origin.
	 */
	final AtomicLong rejectedUnauthorized = new AtomicLong();

	/** HTTP bodies answered with 400, and WebSocket frames that were not valid. */
	final AtomicLong rejectedMalformed = new AtomicLong();

	/** Well-formed StatsD lines, sets included. */
	final AtomicLong statsdLines = new AtomicLong();

	/** Malformed StatsD lines, skipped. */
	final AtomicLong statsdBadLines = new AtomicLong();

	/** StatsD set lines, recognised and skipped as the relay does. */
	final AtomicLong statsdSetsSkipped = new AtomicLong();

	/** StatsD TCP connections closed at once because the maximum was being served. */
	final AtomicLong statsdTcpConnectionsRefused = new AtomicLong();

	/** Batches the relay forwarded successfully. */
	final AtomicLong forwardedBatches = new AtomicLong();

	/** Relay flushes that failed (their metrics are retried with the next flush). */
	final AtomicLong forwardFailures = new AtomicLong();

	/**
	 * Returns the totals by name.
	 * @return the totals, in a stable order
	 */
	public Map<String, Long> snapshot() {
		Map<String, Long> totals = new LinkedHashMap<>();
		totals.put("requestsAccepted", this.requestsAccepted.get());
		totals.put("wsFramesAccepted", this.wsFramesAccepted.get());
		totals.put("rejectedUnauthorized", this.rejectedUnauthorized.get());
		totals.put("rejectedMalformed", this.rejectedMalformed.get());
		totals.put("statsdLines", this.statsdLines.get());
		totals.put("statsdBadLines", this.statsdBadLines.get());
		totals.put("statsdSetsSkipped", this.statsdSetsSkipped.get());
		totals.put("statsdTcpConnectionsRefused", this.statsdTcpConnectionsRefused.get());
		totals.put("forwardedBatches", this.forwardedBatches.get());
		totals.put("forwardFailures", this.forwardFailures.get());
		return totals;
	}

	/**
	 * Sets every total back to zero.
	 */
	public void reset() {
		for (AtomicLong total : new AtomicLong[] { this.requestsAccepted, this.wsFramesAccepted,
				this.rejectedUnauthorized, this.rejectedMalformed, this.statsdLines, this.statsdBadLines,
				this.statsdSetsSkipped, this.statsdTcpConnectionsRefused, this.forwardedBatches,
				this.forwardFailures }) {
			total.set(0);
		}
	}

}
