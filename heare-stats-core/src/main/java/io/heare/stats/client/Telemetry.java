package io.heare.stats.client;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a client's own statistics: enough for an operator to see whether metrics
 * are being lost and why.
 * <p>
 * Updates are what the caller records: one {@code incr}, {@code gauge}, {@code time} or
 * {@code hist} call (a sampled call that was not sampled in is not an update). Every
 * update is counted once, when the sender takes it, under exactly one of delivered,
 * dropped (by reason) or pending, so that once the client is quiet (after
 * {@link StatsClient#flush()} or {@link StatsClient#close()})
 * {@code recorded == delivered + droppedTotal() + pending}, which {@link #unaccounted()}
 * checks. A merged counter of 500 increments that is delivered counts 500; a gauge's
 * value counts with every value it superseded.
 *
 * @param recorded metric updates given to the client, including those dropped at once
 * @param sentMetrics metric entries delivered (a merged counter counts once; every timer
 * or histogram value counts once)
 * @param requests requests, frames or datagrams sent successfully
 * @param bytes payload bytes sent successfully
 * @param dropped updates dropped, by reason; every reason is present
 * @param retries sends that failed and were retried
 * @param failures sends that failed (retried or not)
 * @param lastSuccess time of the last successful send, or {@code null}
 * @param lastError time of the last failed send, or {@code null}
 * @param lastErrorMessage description of the last failure, or {@code null}
 * @param pending updates taken by the sender and waiting to be sent
 * @param delivered updates delivered
 * @param truncatedNames metric names longer than {@value MetricNames#MAX_LENGTH}
 * characters (after sanitizing and prefixing) that were cut to that length
 */
public record Telemetry(long recorded, long sentMetrics, long requests, long bytes, Map<DropReason, Long> dropped,
		long retries, long failures, Instant lastSuccess, Instant lastError, String lastErrorMessage, long pending,
		long delivered, long truncatedNames) {

	public Telemetry {
		// An EnumMap keeps the reasons in declaration order, so that printed telemetry
		// reads the same every time.
		dropped = Collections.unmodifiableMap(new EnumMap<>(dropped));
	}

	/** A snapshot without the update-level figures, for tests and stand-ins. */
	public Telemetry(long recorded, long sentMetrics, long requests, long bytes, Map<DropReason, Long> dropped,
			long retries, long failures, Instant lastSuccess, Instant lastError, String lastErrorMessage,
			long pending) {
		this(recorded, sentMetrics, requests, bytes, dropped, retries, failures, lastSuccess, lastError,
				lastErrorMessage, pending, 0, 0);
	}

	/** All updates dropped, whatever the reason. */
	public long droppedTotal() {
		return this.dropped.values().stream().mapToLong(Long::longValue).sum();
	}

	/** Updates dropped for {@code reason}. */
	public long dropped(DropReason reason) {
		return this.dropped.getOrDefault(reason, 0L);
	}

	/**
	 * {@code recorded - delivered - droppedTotal() - pending}: zero when every recorded
	 * update is accounted for. While threads record and the sender sends it may be off by
	 * what is in motion; once the client is quiet it is exact.
	 */
	public long unaccounted() {
		return this.recorded - this.delivered - droppedTotal() - this.pending;
	}

}
