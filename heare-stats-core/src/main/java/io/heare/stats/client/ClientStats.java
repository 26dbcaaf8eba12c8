package io.heare.stats.client;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client's own counters. Recording threads touch only striped adders; the fields the
 * sender writes are volatile so that {@link #snapshot()} may run on any thread.
 */
final class ClientStats {

	private final LongAdder recorded = new LongAdder();

	private final LongAdder[] dropped = new LongAdder[DropReason.values().length];

	private final LongAdder truncatedNames = new LongAdder();

	private volatile long sentMetrics;

	private volatile long delivered;

	private volatile long requests;

	private volatile long bytes;

	private volatile long retries;

	private volatile long failures;

	private volatile long pending;

	private volatile Instant lastSuccess;

	private volatile Instant lastError;

	private volatile String lastErrorMessage;

	public ClientStats() {
		for (int i = 0; i < this.dropped.length; i++) {
			this.dropped[i] = new LongAdder();
		}
	}

	/** Counts updates the sender took from the cells. */
	void recorded(long count) {
		if (count > 0) {
			this.recorded.add(count);
		}
	}

	/**
	 * Counts an update that is dropped as it is recorded: recorded, and dropped for
	 * {@code reason}.
	 */
	public void refused(DropReason reason) {
		this.recorded.increment();
		this.dropped[reason.ordinal()].increment();
	}

	/** Counts {@code count} updates dropped as they are recorded. */
	public void refused(DropReason reason, long count) {
		if (count > 0) {
			this.recorded.add(count);
			this.dropped[reason.ordinal()].add(count);
		}
	}

	/** Counts updates already counted as recorded that are dropped for {@code reason}. */
	public void dropped(DropReason reason, long count) {
		if (count > 0) {
			this.dropped[reason.ordinal()].add(count);
		}
	}

	void truncatedName() {
		this.truncatedNames.increment();
	}

	/**
	 * Drops, in updates, that mean something recorded was lost rather than refused as
	 * invalid.
	 */
	public long lostTotal() {
		long lost = 0;
		for (DropReason reason : DropReason.values()) {
			if (reason != DropReason.INVALID_NAME && reason != DropReason.INVALID_VALUE) {
				lost += this.dropped[reason.ordinal()].sum();
			}
		}
		return lost;
	}

	// The methods below are called by the sender thread only, hence the plain increments
	// of volatiles.

	void sent(long metrics, long updates, long requestCount, long byteCount) {
		this.sentMetrics += metrics;
		this.delivered += updates;
		this.requests += requestCount;
		this.bytes += byteCount;
		this.lastSuccess = Instant.now();
	}

	void failed(String message, boolean retrying) {
		this.failures++;
		if (retrying) {
			this.retries++;
		}
		this.lastError = Instant.now();
		this.lastErrorMessage = message;
	}

	void pending(long count) {
		this.pending = count;
	}

	long pending() {
		return this.pending;
	}

	/** A consistent-enough copy for operators; counters may move while it is taken. */
	public Telemetry snapshot() {
		Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
		for (DropReason reason : DropReason.values()) {
			drops.put(reason, this.dropped[reason.ordinal()].sum());
		}
		return new Telemetry(this.recorded.sum(), this.sentMetrics, this.requests, this.bytes, drops, this.retries,
				this.failures, this.lastSuccess, this.lastError, this.lastErrorMessage, this.pending, this.delivered,
				this.truncatedNames.sum());
	}

}
