package io.heare.stats.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.RetryPolicy;
import io.heare.stats.client.transport.Batch;
import io.heare.stats.client.transport.SendResult;
import io.heare.stats.client.transport.Transport;

/**
 * The one thread that drains the aggregator and talks to the transport. An idle sender
 * sends as soon as something is recorded; a busy one sends at most once per linger
 * interval, and whatever is recorded while a request is in flight (or while a failed batch
 * waits for its retry) is merged into the next request.
 */
public final class Sender {

	private static final Logger logger = LoggerFactory.getLogger(Sender.class);

	private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

	// Distinct failure causes remembered for log-once; more than this many is not a steady state.
	private static final int MAX_REMEMBERED_CAUSES = 64;

	private static final VarHandle WAKE_REQUESTED;

	static {
		try {
			WAKE_REQUESTED = MethodHandles.lookup().findVarHandle(Sender.class, "wakeRequested", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Aggregator aggregator;

	private final Transport transport;

	private final ClientStats stats;

	private final RetryPolicy retryPolicy;

	private final long lingerNanos;

	private final int maxPendingValues;

	private final Thread thread;

	// A field rather than an AtomicBoolean: every record call reads it, and this saves a load.
	private volatile boolean wakeRequested;

	private final Object flushMonitor = new Object();

	private volatile boolean running = true;

	// Guarded by flushMonitor.
	private long flushRequested;

	private long flushCompleted;

	private boolean flushDelivered = true;

	// Sender-thread state.
	private final Batch pending = new Batch();

	private final Set<String> loggedCauses = new HashSet<>();

	private long lastSendNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

	private long retryAtNanos;

	private int failedAttempts;

	private long flushAttempted;

	private boolean lostSinceFlush;

	public Sender(Aggregator aggregator, Transport transport, ClientStats stats, RetryPolicy retryPolicy,
			Duration linger, int maxPendingValues, ThreadFactory threadFactory) {
		this.aggregator = aggregator;
		this.transport = transport;
		this.stats = stats;
		this.retryPolicy = retryPolicy;
		this.lingerNanos = linger.toNanos();
		this.maxPendingValues = maxPendingValues;
		this.thread = threadFactory.newThread(this::run);
		this.thread.setDaemon(true);
	}

	public void start() {
		this.thread.start();
	}

	/** Tells the sender there is something to send. Cheap when it already knows. */
	public void wake() {
		if (!this.wakeRequested && WAKE_REQUESTED.compareAndSet(this, false, true)) {
			LockSupport.unpark(this.thread);
		}
	}

	/**
	 * Asks the sender to send everything recorded so far, ignoring linger and backoff for
	 * the first attempt, and waits for the outcome; failed attempts are retried with backoff
	 * while the caller still waits.
	 * @return {@code true} when everything was delivered within {@code timeout}, and nothing
	 * recorded since the previous flush was dropped by the service
	 */
	public boolean flush(Duration timeout) {
		if (!this.thread.isAlive()) {
			return false;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.flushMonitor) {
			long ticket = ++this.flushRequested;
			this.wakeRequested = true;
			LockSupport.unpark(this.thread);
			while (this.flushCompleted < ticket) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0 || !this.thread.isAlive()) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.flushMonitor, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return this.flushDelivered;
		}
	}

	/**
	 * Stops the thread, interrupting a send still in progress after {@code grace}, and
	 * closes the transport.
	 * @return the number of entries that were never delivered
	 */
	public long stop(Duration grace) {
		this.running = false;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join(Math.max(1, grace.toMillis()));
			if (this.thread.isAlive()) {
				this.thread.interrupt();
				this.thread.join(1000);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long undelivered = this.stats.pending();
		if (!this.thread.isAlive()) {
			undelivered = this.pending.size() + this.aggregator.drainTo(new Batch());
		}
		try {
			this.transport.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Closing {} failed", this.transport, ex);
		}
		return undelivered;
	}

	private void run() {
		while (this.running) {
			try {
				step();
			}
			catch (Throwable ex) {
				// A bug here must not kill the only thread that delivers metrics.
				logger.error("Unexpected failure in the heare stats sender; continuing", ex);
				LockSupport.parkNanos(this.lingerNanos + TimeUnit.MILLISECONDS.toNanos(100));
			}
		}
	}

	private void step() {
		long ticket = flushTicket();
		boolean flushing = ticket > this.flushAttempted;
		long now = System.nanoTime();
		if (!flushing) {
			if (this.pending.isEmpty() && !this.wakeRequested) {
				LockSupport.parkNanos(this, IDLE_PARK_NANOS);
				return;
			}
			long earliest = this.lastSendNanos + this.lingerNanos;
			if (this.failedAttempts > 0) {
				earliest = Math.max(earliest, this.retryAtNanos);
			}
			if (now - earliest < 0) {
				// Keep draining while waiting, so that cells do not fill up during a long backoff.
				LockSupport.parkNanos(this, Math.min(earliest - now, Math.max(this.lingerNanos, 1_000_000L)));
				drain();
				return;
			}
		}
		this.flushAttempted = ticket;
		this.wakeRequested = false;
		drain();
		sendPending();
		if (this.pending.isEmpty() && completeFlush(ticket, !this.lostSinceFlush)) {
			// Forget losses only once a flush has reported them; a step that completes no flush
			// (one that began before the flush was requested) must not hide them from the next.
			this.lostSinceFlush = false;
		}
	}

	private void drain() {
		this.aggregator.drainTo(this.pending);
		this.stats.pending(this.pending.size());
	}

	private void sendPending() {
		while (!this.pending.isEmpty() && this.running) {
			int max = this.transport.maxBatchEntries();
			Batch batch = (this.pending.size() > max) ? this.pending.carve(max) : this.pending;
			this.lastSendNanos = System.nanoTime();
			SendResult result = send(batch);
			if (result.outcome() == SendResult.Outcome.RETRY) {
				if (batch != this.pending) {
					// The carved part was recorded no later than what is left, so it goes first again.
					int lost = this.pending.absorbOlder(batch, this.maxPendingValues);
					this.stats.dropped(DropReason.VALUE_LIMIT, lost);
				}
				scheduleRetry(result);
				break;
			}
			int entries = batch.size();
			onDone(result, entries);
			if (batch == this.pending) {
				this.pending.clear();
			}
		}
		this.stats.pending(this.pending.size());
	}

	private SendResult send(Batch batch) {
		try {
			return this.transport.send(batch);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return SendResult.retry("interrupted while sending");
		}
		catch (Exception ex) {
			return SendResult.retry(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	private void onDone(SendResult result, int entries) {
		switch (result.outcome()) {
			case SUCCESS -> {
				this.stats.sent(entries, result.requests(), result.bytes());
				if (this.failedAttempts > 0 || !this.loggedCauses.isEmpty()) {
					logger.info("heare stats delivery recovered after {} failed attempts", this.failedAttempts);
				}
				this.failedAttempts = 0;
				this.loggedCauses.clear();
			}
			case REJECTED -> {
				this.stats.failed(result.cause(), false);
				this.stats.dropped(DropReason.REJECTED, entries);
				this.lostSinceFlush = true;
				logOnce(result.cause(), "{} metric entries dropped: {}", entries);
			}
			case FAILED -> {
				this.stats.sent(0, result.requests(), result.bytes());
				this.stats.failed(result.cause(), false);
				this.stats.dropped(DropReason.SEND_FAILED, entries);
				this.lostSinceFlush = true;
				logOnce(result.cause(), "{} metric entries lost: {}", entries);
			}
			default -> throw new IllegalStateException(result.outcome().name());
		}
	}

	private void scheduleRetry(SendResult result) {
		this.failedAttempts++;
		this.stats.failed(result.cause(), true);
		long backoff = this.retryPolicy.backoff(this.failedAttempts, ThreadLocalRandom.current()).toNanos();
		this.retryAtNanos = System.nanoTime() + backoff;
		logOnce(result.cause(), "Sending {} metric entries failed, will retry: {}", this.pending.size());
	}

	private void logOnce(String cause, String format, int entries) {
		String key = (cause != null) ? cause : "unknown";
		if (this.loggedCauses.size() < MAX_REMEMBERED_CAUSES && this.loggedCauses.add(key)) {
			logger.warn(format + " (logged once per cause)", entries, key);
		}
		else {
			logger.debug(format, entries, key);
		}
	}

	private long flushTicket() {
		synchronized (this.flushMonitor) {
			return this.flushRequested;
		}
	}

	/** Completes flush requests up to {@code ticket}; returns whether there were any. */
	private boolean completeFlush(long ticket, boolean delivered) {
		synchronized (this.flushMonitor) {
			if (ticket <= this.flushCompleted) {
				return false;
			}
			this.flushCompleted = ticket;
			this.flushDelivered = delivered;
			this.flushMonitor.notifyAll();
			return true;
		}
	}

}
