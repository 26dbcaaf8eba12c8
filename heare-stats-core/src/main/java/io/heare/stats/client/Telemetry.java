package io.heare.stats.client;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a client's own statistics: enough for an operator to see whether metrics
 * are being lost and why.
 *
 * @param recorded metric updates accepted by the client
 * @param sentMetrics metric entries delivered (a merged counter counts once; every timer or
 * histogram value counts once)
 * @param requests requests, frames or datagrams sent successfully
 * @param bytes payload bytes sent successfully
 * @param dropped updates dropped, by reason; every reason is present
 * @param retries sends that failed and were retried
 * @param failures sends that failed (retried or not)
 * @param lastSuccess time of the last successful send, or {@code null}
 * @param lastError time of the last failed send, or {@code null}
 * @param lastErrorMessage description of the last failure, or {@code null}
 * @param pending metric entries waiting to be sent
 */
public record Telemetry(long recorded, long sentMetrics, long requests, long bytes, Map<DropReason, Long> dropped,
		long retries, long failures, Instant lastSuccess, Instant lastError, String lastErrorMessage, long pending) {

	public Telemetry {
		// An EnumMap keeps the reasons in declaration order, so that printed telemetry reads the same every time.
		dropped = Collections.unmodifiableMap(new EnumMap<>(dropped));
	}

	/** All updates dropped, whatever the reason. */
	public long droppedTotal() {
		return this.dropped.values().stream().mapToLong(Long::longValue).sum();
	}

	/** Updates dropped for {@code reason}. */
	public long dropped(DropReason reason) {
		return this.dropped.getOrDefault(reason, 0L);
	}

}
