package io.heare.stats.collector;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Relay mode: drains the {@link ForwardBuffer} every interval and hands the batch to the
 * {@link Forwarder}, and flushes once more on shutdown. Its phase is below the web
 * server's and the StatsD listeners', so it stops after them and the final flush includes
 * everything they received.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class RelayFlusher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RelayFlusher.class);

	private final ForwardBuffer buffer;

	private final Forwarder forwarder;

	private final Duration interval;

	private final CollectorTotals totals;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Creates a new instance.
	 * @param buffer what to flush
	 * @param forwarder where to send it
	 * @param interval time between flushes
	 * @param totals where forwarding totals go
	 */
	public RelayFlusher(ForwardBuffer buffer, Forwarder forwarder, Duration interval, CollectorTotals totals) {
		this.buffer = buffer;
		this.forwarder = forwarder;
		this.interval = interval;
		this.totals = totals;
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "relay-flush");
			thread.setDaemon(true);
			return thread;
		});
		long millis = Math.max(1, this.interval.toMillis());
		executor.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	/**
	 * Forwards what is buffered now. A batch that is not delivered in time stays with the
	 * forwarder, which retries it and merges later batches into it. Only ever called on
	 * one thread at a time (the scheduler, then the final flush after the scheduler
	 * stopped).
	 */
	void flush() {
		MetricBatch batch = this.buffer.drain();
		if (batch.isEmpty()) {
			return;
		}
		boolean delivered;
		try {
			delivered = this.forwarder.forward(batch);
		}
		catch (RuntimeException ex) {
			// The batch never reached the forwarder, so it is safe to keep it for the
			// next flush.
			this.buffer.restore(batch);
			delivered = false;
			logger.warn("Relay flush failed, will retry with the next flush: {}", ex.toString());
		}
		if (delivered) {
			this.totals.forwardedBatches.incrementAndGet();
		}
		else {
			this.totals.forwardFailures.incrementAndGet();
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		if (executor == null) {
			return;
		}
		executor.shutdown();
		try {
			executor.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		flush();
		this.scheduler = null;
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		// Boot's web server stops in phase DEFAULT_PHASE - 2048; stop after it.
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

}
