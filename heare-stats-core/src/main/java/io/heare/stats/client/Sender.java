package io.heare.stats.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drains the aggregator and talks to the transport. An idle sender
 * sends as soon as something is recorded; a busy one sends at most once per linger
 * interval, and whatever is recorded while a request is in flight (or while a failed
 * batch waits for its retry) is merged into the next request. Only while timer and
 * histogram values arrive at a quarter of the pending-values limit per linger or faster
 * does it drain more often (every 10 to 50 ms, by the rate) and send as soon as half the
 * limit is pending, as a producer sends a full batch without waiting.
 * <p>
 * A batch the service cannot take as a whole (400, 413, or too large to send) is split in
 * halves until the entry that causes it is isolated and dropped, so that the rest is
 * delivered. A failure worth retrying keeps the batch and backs off on the retry policy;
 * so does a rejection (a wrong secret), which drops what was refused: the sender keeps
 * draining and counting, and sends at most once per growing delay until a send succeeds.
 * Every update is counted, when delivered or dropped, in updates (see
 * {@link ClientStats}).
 */
final class Sender {

	private static final Logger logger = LoggerFactory.getLogger(Sender.class);

	private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

	// The shortest and the longest wait between two drains of a busy sender.
	private static final long BUSY_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final long MAX_BUSY_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	// Distinct failure causes remembered for log-once; more than this many is not a
	// steady state.
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

	// A field rather than an AtomicBoolean: every record call reads it, and this saves a
	// load.
	private volatile boolean wakeRequested;

	private final Object flushMonitor = new Object();

	private volatile boolean running = true;

	// Guarded by flushMonitor.
	private long flushRequested;

	private long flushCompleted;

	private boolean flushDelivered = true;

	// Sender-thread state; read by stop() once the thread has ended.
	private Batch pending = new Batch();

	private final ArrayDeque<Batch> parts = new ArrayDeque<>();

	// The last batch sent, cleared: the next pending batch, with the value arrays it
	// grew.
	private Batch spare;

	private final Set<String> loggedCauses = new HashSet<>();

	private long lastSendNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

	private long retryAtNanos;

	private int failedAttempts;

	// Set by a rejection, cleared by a success: until retryAtNanos, not even a flush
	// sends.
	private boolean rejecting;

	// Whether values arrived, over the time since the previous send, at a rate that fills
	// a quarter of the pending-values limit or more per linger.
	private boolean valuesBusy;

	// While busy, the wait between two drains: about the time a drain's worth of values
	// (busyDrainValues) takes to arrive at the rate last measured, by a send or by a busy
	// drain, so that a faster rate shortens it from the next drain on.
	private long busyDrainNanos = BUSY_DRAIN_NANOS;

	// An eighth of the pending-values limit, and at most a quarter of a lane's largest
	// ring, so that a thread recording all the values does not fill its ring between two
	// drains.
	private final int busyDrainValues;

	private long lastDrainNanos = System.nanoTime();

	private long flushAttempted;

	private boolean lostSinceFlush;

	private volatile String lastOutcome = "nothing was sent";

	public Sender(Aggregator aggregator, Transport transport, ClientStats stats, RetryPolicy retryPolicy,
			Duration linger, int maxPendingValues, ThreadFactory threadFactory) {
		this.aggregator = aggregator;
		this.transport = transport;
		this.stats = stats;
		this.retryPolicy = retryPolicy;
		this.lingerNanos = linger.toNanos();
		this.busyDrainValues = Math.max(1, Math.min(maxPendingValues / 8, ValueLanes.MAX_CAPACITY / 4));
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
	 * Asks the sender to send everything recorded so far, ignoring linger and the backoff
	 * of a failure worth retrying for the first attempt, and waits for the outcome;
	 * failed attempts are retried with backoff while the caller still waits. After the
	 * service rejected the secret, a flush within the rejection's backoff sends nothing
	 * and reports {@code false} at once: what is recorded stays pending (and counted)
	 * until the next attempt, so that an application that flushes often cannot turn a
	 * wrong secret into a request per flush. The wait lasts until the outcome or
	 * {@code timeout}, whether or not the calling thread is interrupted; its interrupt
	 * status is kept.
	 * @return {@code true} when everything was delivered within {@code timeout}, and
	 * nothing recorded since the previous flush was dropped by the service
	 */
	public boolean flush(Duration timeout) {
		if (!this.thread.isAlive()) {
			return false;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean interrupted = Thread.interrupted();
		try {
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
						interrupted = true;
					}
				}
				return this.flushDelivered;
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Stops the thread after one last drain and send, interrupting a send still in
	 * progress after {@code grace} (whether or not the calling thread is interrupted; its
	 * interrupt status is kept), and closes the transport. What was recorded and could
	 * not be sent is counted as {@link DropReason#UNDELIVERED_AT_CLOSE}.
	 * @return the number of updates that were not delivered
	 */
	public long stop(Duration grace) {
		this.running = false;
		LockSupport.unpark(this.thread);
		boolean interrupted = Thread.interrupted();
		long deadline = System.nanoTime() + Math.max(1, grace.toNanos());
		boolean stopped = join(deadline);
		if (!stopped) {
			this.thread.interrupt();
			stopped = join(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
		}
		long undelivered;
		if (stopped) {
			Batch left = this.pending;
			for (Batch part : this.parts) {
				left.absorbOlder(part, Integer.MAX_VALUE);
			}
			this.parts.clear();
			// What was recorded after the last drain is counted too.
			this.aggregator.drainTo(left);
			undelivered = left.updates();
			left.clear();
			this.stats.pending(0);
		}
		else {
			// The thread is stuck in the transport: what it holds stays counted as
			// pending.
			undelivered = this.stats.pending();
		}
		this.stats.dropped(DropReason.UNDELIVERED_AT_CLOSE, stopped ? undelivered : 0);
		synchronized (this.flushMonitor) {
			// A flush still waiting is answered now that nothing more is sent, rather
			// than at its timeout.
			this.flushMonitor.notifyAll();
		}
		try {
			this.transport.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Closing {} failed", this.transport, ex);
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return undelivered;
	}

	private boolean join(long deadline) {
		while (this.thread.isAlive()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return false;
			}
			try {
				this.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
			}
			catch (InterruptedException ex) {
				// Kept for the caller by stop(); the deadline still holds.
			}
		}
		return true;
	}

	/**
	 * What the last send achieved, for the close message: {@code "delivered"} or its
	 * failure.
	 */
	public String lastOutcome() {
		return this.lastOutcome;
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
		try {
			// One last drain and send, whatever the backoff: what is left after it is
			// counted by stop().
			drain();
			sendPending(true);
		}
		catch (Throwable ex) {
			logger.error("Unexpected failure in the heare stats sender's last send", ex);
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
				// Keep draining while waiting, so that cells do not fill up during a long
				// backoff. While timer values arrive at a quarter of the limit per linger
				// or faster, drain often and send once half the limit is pending, rather
				// than drop the rest.
				boolean busy = this.failedAttempts == 0 && this.valuesBusy;
				LockSupport.parkNanos(this,
						Math.min(earliest - now, busy ? this.busyDrainNanos : Math.max(this.lingerNanos, 1_000_000L)));
				now = System.nanoTime();
				if (now - earliest < 0 || flushTicket() > this.flushAttempted) {
					// Still early, or a flush came (the next step takes its ticket). Once
					// it is time, the send below drains: one drain per send, not two.
					long since = this.lastDrainNanos;
					int before = this.pending.valueCount();
					drain();
					if (busy) {
						paceBusyDrains(this.pending.valueCount() - before, this.lastDrainNanos - since);
					}
					if (!busy || this.pending.valueCount() < this.maxPendingValues / 2) {
						return;
					}
				}
			}
		}
		this.flushAttempted = ticket;
		this.wakeRequested = false;
		drain();
		if (!this.pending.isEmpty()) {
			// Measured only by a send: a flush with nothing pending sends nothing and
			// measures no rate.
			this.valuesBusy = valuesBusy(now);
		}
		if (flushing && this.rejecting && now - this.retryAtNanos < 0) {
			// A wrong secret stays wrong: the flush is answered without a request, and
			// what is pending goes out on the rejection's backoff like everything else.
			completeFlush(ticket, false);
			return;
		}
		sendPending(false);
		if (this.pending.isEmpty() && completeFlush(ticket, !this.lostSinceFlush)) {
			// Forget losses only once a flush has reported them; a step that completes no
			// flush (one that began before the flush was requested) must not hide them
			// from the next.
			this.lostSinceFlush = false;
		}
	}

	// A rate, not the batch size alone: a flush or an early send cuts a linger short, and
	// the batch it sends is no measure of how fast values arrive.
	private boolean valuesBusy(long now) {
		long elapsed = Math.max(now - this.lastSendNanos, 1L);
		boolean busy = this.pending.valueCount() * (double) this.lingerNanos / elapsed >= this.maxPendingValues / 4;
		if (busy) {
			paceBusyDrains(this.pending.valueCount(), elapsed);
		}
		return busy;
	}

	// Each drain of a busy sender reads every lane and every counter, whatever it finds:
	// a wait that follows the rate keeps the drains few while values come slowly enough.
	private void paceBusyDrains(long values, long elapsedNanos) {
		double nanosPerDrain = (values > 0) ? (double) this.busyDrainValues * Math.max(elapsedNanos, 1L) / values
				: MAX_BUSY_DRAIN_NANOS;
		this.busyDrainNanos = (long) Math.max(BUSY_DRAIN_NANOS, Math.min(nanosPerDrain, MAX_BUSY_DRAIN_NANOS));
	}

	private void drain() {
		this.lastDrainNanos = System.nanoTime();
		this.aggregator.drainTo(this.pending);
		this.stats.pending(this.pending.updates());
	}

	/**
	 * Sends what is pending, in parts of at most the transport's entries, splitting parts
	 * the service cannot take as a whole. On a failure worth retrying, what is unsent
	 * becomes the pending batch again (the last send at close leaves it for stop() to
	 * count).
	 */
	private void sendPending(boolean last) {
		if (this.pending.isEmpty()) {
			return;
		}
		// Asked before the pending batch is handed over, so that a transport failing here
		// loses nothing: what is pending stays pending.
		int max = this.transport.maxBatchEntries();
		Batch all = this.pending;
		this.pending = (this.spare != null) ? this.spare : new Batch();
		this.spare = null;
		while (all.size() > max) {
			this.parts.addLast(all.carve(max));
		}
		this.parts.addLast(all);
		long unsent = all.updates();
		for (Batch part : this.parts) {
			unsent += (part != all) ? part.updates() : 0;
		}
		while (!this.parts.isEmpty()) {
			this.stats.pending(unsent);
			Batch part = this.parts.pollFirst();
			this.lastSendNanos = System.nanoTime();
			SendResult result = send(part);
			switch (result.outcome()) {
				case SUCCESS -> delivered(part, result);
				case FAILED -> failed(part, result);
				case RETRY -> {
					this.parts.addFirst(part);
					restorePending();
					if (!last) {
						scheduleRetry(result);
					}
					else {
						this.stats.failed(result.cause(), false);
						this.lastOutcome = result.cause();
					}
					return;
				}
				case REJECTED -> {
					long refused = part.updates();
					while (!this.parts.isEmpty()) {
						// The rest would be refused alike: dropped without a request
						// each.
						refused += this.parts.pollFirst().updates();
					}
					rejected(result, refused);
				}
				case SPLIT -> {
					if (part.size() > 1) {
						Batch head = part.carve(part.size() / 2);
						this.parts.addFirst(part);
						this.parts.addFirst(head);
						continue;
					}
					this.stats.failed(result.cause(), false);
					this.stats.dropped(DropReason.REJECTED, part.updates());
					this.lostSinceFlush = true;
					this.lastOutcome = result.cause();
					logOnce(result.cause(), "heare stats dropped a metric entry the service refused ({}); "
							+ "the rest of its batch is sent without it");
				}
				default -> throw new IllegalStateException(result.outcome().name());
			}
			unsent -= part.updates();
			if (part != all) {
				all.reclaim(part);
			}
		}
		// Every part is settled, the last of them the batch carved from.
		all.clear();
		this.spare = all;
		this.stats.pending(this.pending.updates());
	}

	// The parts not sent, oldest first, merged back into one pending batch.
	private void restorePending() {
		Batch merged = this.parts.pollLast();
		while (!this.parts.isEmpty()) {
			int lost = merged.absorbOlder(this.parts.pollLast(), this.maxPendingValues);
			this.stats.dropped(DropReason.VALUE_LIMIT, lost);
			if (lost > 0) {
				this.lostSinceFlush = true;
			}
		}
		this.pending = merged;
		this.stats.pending(merged.updates());
	}

	private SendResult send(Batch batch) {
		try {
			return this.transport.send(batch);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return SendResult.retry("interrupted while sending");
		}
		catch (Exception | Error ex) {
			// An error from a transport's bug too: the part is kept and retried, not lost
			// uncounted on its way to run()'s last resort.
			return SendResult.retry(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	private void delivered(Batch part, SendResult result) {
		this.stats.sent(part.size(), part.updates(), result.requests(), result.bytes());
		this.lastOutcome = "delivered";
		if (this.failedAttempts > 0) {
			logger.info("heare stats delivery to {} recovered after {} failed attempts", this.transport,
					this.failedAttempts);
		}
		this.failedAttempts = 0;
		this.rejecting = false;
	}

	private void failed(Batch part, SendResult result) {
		long lost = Math.min(result.lostUpdates(), part.updates());
		this.stats.sent((lost == 0) ? part.size() : 0, part.updates() - lost, result.requests(), result.bytes());
		this.stats.failed(result.cause(), false);
		this.stats.dropped(DropReason.SEND_FAILED, lost);
		this.lostSinceFlush |= lost > 0;
		this.lastOutcome = result.cause();
		logOnce(result.cause(), "heare stats updates lost: {}");
	}

	private void rejected(SendResult result, long refused) {
		this.stats.failed(result.cause(), false);
		this.stats.dropped(DropReason.REJECTED, refused);
		this.lostSinceFlush = true;
		this.lastOutcome = result.cause();
		// A rejection is not transient, but a fleet of clients must not hammer the
		// service with a wrong secret: what is recorded meanwhile is drained and sent on
		// the growing delay.
		this.failedAttempts++;
		this.rejecting = true;
		this.retryAtNanos = System.nanoTime() + backoffNanos();
		logOnce(result.cause(),
				"heare stats updates refused by the service, dropped and counted; sending again " + "with backoff: {}");
	}

	private void scheduleRetry(SendResult result) {
		this.failedAttempts++;
		this.stats.failed(result.cause(), true);
		this.lastOutcome = result.cause();
		this.retryAtNanos = System.nanoTime() + backoffNanos();
		logOnce(result.cause(), "heare stats delivery failed, will retry with backoff: {}");
	}

	private long backoffNanos() {
		return this.retryPolicy.backoff(this.failedAttempts, ThreadLocalRandom.current()).toNanos();
	}

	// Once per distinct cause for the client's life: a cause is a stable description (no
	// counts), so a service that fails the same way again and again is reported once, at
	// WARN.
	private void logOnce(String cause, String format) {
		String key = (cause != null) ? cause : "unknown";
		if (this.loggedCauses.size() < MAX_REMEMBERED_CAUSES && this.loggedCauses.add(key)) {
			logger.warn(format + " (logged once per cause)", key);
		}
		else {
			logger.debug(format, key);
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
