package io.heare.stats.client.internal;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.Telemetry;

/**
 * The client's own counters. Recording threads touch only striped adders; the fields the
 * sender writes are volatile so that {@link #snapshot()} may run on any thread.
 */
public final class ClientStats {

	private final LongAdder recorded = new LongAdder();

	private final LongAdder[] dropped = new LongAdder[DropReason.values().length];

	private volatile long sentMetrics;

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

	void recorded() {
		this.recorded.increment();
	}

	void recorded(long count) {
		this.recorded.add(count);
	}

	public void dropped(DropReason reason) {
		this.dropped[reason.ordinal()].increment();
	}

	public void dropped(DropReason reason, long count) {
		if (count > 0) {
			this.dropped[reason.ordinal()].add(count);
		}
	}

	// The methods below are called by the sender thread only, hence the plain increments of volatiles.

	void sent(long metrics, long requestCount, long byteCount) {
		this.sentMetrics += metrics;
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
				this.failures, this.lastSuccess, this.lastError, this.lastErrorMessage, this.pending);
	}

}
