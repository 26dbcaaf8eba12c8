package io.heare.stats.autoconfigure.micrometer;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.heare.stats.client.DropCounting;
import io.heare.stats.client.DropReason;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Telemetry;

/**
 * The heare registry's view of the application's {@link StatsClient}, which it gets only
 * once every singleton exists ({@link #attach(StatsClient)}). The registry is created
 * early, because Boot's observation handlers need a meter registry, while the client may
 * depend on beans that need those observations (an HTTP transport through the
 * application's {@code WebClient.Builder}); taking the client at creation would make a
 * cycle. Updates recorded before the client is attached wait in a bounded queue and are
 * handed over when it is, each with its sample rate; beyond the bound they are dropped,
 * and counted in the client's {@link Telemetry} as {@link DropReason#VALUE_LIMIT} drops
 * once it is attached (for a client of the core's; any other gets a warning with the
 * count).
 */
final class DeferredStatsClient implements StatsClient, DropCounting {

	static final int MAX_WAITING = 10_000;

	private static final Log logger = LogFactory.getLog(DeferredStatsClient.class);

	private volatile StatsClient target;

	private final Queue<Update> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicInteger waitingCount = new AtomicInteger();

	private final AtomicLong dropped = new AtomicLong();

	// Drops not yet seen by a flush, so that the next flush reports them.
	private final AtomicLong droppedSinceFlush = new AtomicLong();

	// Drops counted by the registry (its meter cap) before the client exists, by reason.
	private final AtomicLongArray refusedEarly = new AtomicLongArray(DropReason.values().length);

	private record Update(char kind, String name, double value, double sampleRate) {

		void applyTo(Pipeline pipeline) {
			switch (this.kind) {
				case 'c' -> {
					if (this.sampleRate < 1.0) {
						pipeline.incr(this.name, this.value, this.sampleRate);
					}
					else {
						pipeline.incr(this.name, this.value);
					}
				}
				case 't' -> {
					if (this.sampleRate < 1.0) {
						pipeline.time(this.name, this.value, this.sampleRate);
					}
					else {
						pipeline.time(this.name, this.value);
					}
				}
				case 'g' -> pipeline.gauge(this.name, this.value);
				default -> pipeline.hist(this.name, this.value);
			}
		}

	}

	/** Hands everything recorded so far to {@code client}, and every later update. */
	void attach(StatsClient client) {
		synchronized (this) {
			if (this.target != null) {
				return;
			}
			this.target = client;
		}
		// Updates that raced with the switch are still queued: drained here, once.
		List<Update> updates = new ArrayList<>();
		for (Update update; (update = this.waiting.poll()) != null;) {
			updates.add(update);
		}
		if (!updates.isEmpty()) {
			try (Pipeline pipeline = client.pipeline()) {
				updates.forEach((update) -> update.applyTo(pipeline));
			}
		}
		for (DropReason reason : DropReason.values()) {
			long count = this.refusedEarly.getAndSet(reason.ordinal(), 0);
			if (count > 0 && client instanceof DropCounting counting) {
				counting.refusedElsewhere(reason, count);
			}
		}
		long dropped = this.dropped.get();
		if (dropped > 0) {
			if (client instanceof DropCounting counting) {
				counting.refusedElsewhere(DropReason.VALUE_LIMIT, dropped);
			}
			logger.warn(dropped + " Micrometer updates recorded before the heare StatsClient existed were "
					+ "dropped: at most " + MAX_WAITING + " wait for it");
		}
	}

	long dropped() {
		return this.dropped.get();
	}

	private void hold(char kind, String name, double value, double sampleRate) {
		if (this.waitingCount.incrementAndGet() > MAX_WAITING) {
			this.waitingCount.decrementAndGet();
			this.dropped.incrementAndGet();
			this.droppedSinceFlush.incrementAndGet();
			return;
		}
		this.waiting.add(new Update(kind, name, value, sampleRate));
		StatsClient client = this.target;
		if (client != null) {
			// Attached meanwhile: make sure the update is not left behind.
			attachLate(client);
		}
	}

	private void attachLate(StatsClient client) {
		for (Update update; (update = this.waiting.poll()) != null;) {
			try (Pipeline pipeline = client.pipeline()) {
				update.applyTo(pipeline);
			}
		}
	}

	@Override
	public void incr(String name, double value) {
		StatsClient client = this.target;
		if (client != null) {
			client.incr(name, value);
		}
		else {
			hold('c', name, value, 1.0);
		}
	}

	@Override
	public void incr(String name, double value, double sampleRate) {
		StatsClient client = this.target;
		if (client != null) {
			client.incr(name, value, sampleRate);
		}
		else {
			hold('c', name, value, sampleRate);
		}
	}

	@Override
	public void time(String name, double millis) {
		StatsClient client = this.target;
		if (client != null) {
			client.time(name, millis);
		}
		else {
			hold('t', name, millis, 1.0);
		}
	}

	@Override
	public void time(String name, double millis, double sampleRate) {
		StatsClient client = this.target;
		if (client != null) {
			client.time(name, millis, sampleRate);
		}
		else {
			hold('t', name, millis, sampleRate);
		}
	}

	@Override
	public void gauge(String name, double value) {
		StatsClient client = this.target;
		if (client != null) {
			client.gauge(name, value);
		}
		else {
			hold('g', name, value, 1.0);
		}
	}

	@Override
	public void hist(String name, double value) {
		StatsClient client = this.target;
		if (client != null) {
			client.hist(name, value);
		}
		else {
			hold('h', name, value, 1.0);
		}
	}

	@Override
	public void refusedElsewhere(DropReason reason, long count) {
		StatsClient client = this.target;
		if (client == null) {
			this.refusedEarly.addAndGet(reason.ordinal(), count);
			this.droppedSinceFlush.addAndGet(count);
			client = this.target;
			if (client == null) {
				return;
			}
			// Attached meanwhile: hand over what is still held, once.
			count = this.refusedEarly.getAndSet(reason.ordinal(), 0);
		}
		if (count > 0 && client instanceof DropCounting counting) {
			counting.refusedElsewhere(reason, count);
		}
	}

	@Override
	public Pipeline pipeline() {
		StatsClient client = this.target;
		return (client != null) ? client.pipeline() : new HoldingPipeline();
	}

	/**
	 * Also {@code false} when updates were dropped waiting for the client since the
	 * previous flush.
	 */
	@Override
	public boolean flush() {
		StatsClient client = this.target;
		boolean flushed = client == null || client.flush();
		return this.droppedSinceFlush.getAndSet(0) == 0 && flushed;
	}

	/**
	 * The application's client has a lifecycle of its own; the registry never closes it.
	 */
	@Override
	public void close() {
	}

	@Override
	public Telemetry telemetry() {
		StatsClient client = this.target;
		return (client != null) ? client.telemetry() : StatsClient.noop().telemetry();
	}

	@Override
	public String toString() {
		StatsClient client = this.target;
		return (client != null) ? client.toString() : "the application's StatsClient";
	}

	private final class HoldingPipeline implements Pipeline {

		@Override
		public Pipeline incr(String name, double value) {
			DeferredStatsClient.this.incr(name, value);
			return this;
		}

		@Override
		public Pipeline incr(String name, double value, double sampleRate) {
			DeferredStatsClient.this.incr(name, value, sampleRate);
			return this;
		}

		@Override
		public Pipeline time(String name, double millis) {
			DeferredStatsClient.this.time(name, millis);
			return this;
		}

		@Override
		public Pipeline time(String name, double millis, double sampleRate) {
			DeferredStatsClient.this.time(name, millis, sampleRate);
			return this;
		}

		@Override
		public Pipeline gauge(String name, double value) {
			DeferredStatsClient.this.gauge(name, value);
			return this;
		}

		@Override
		public Pipeline hist(String name, double value) {
			DeferredStatsClient.this.hist(name, value);
			return this;
		}

		@Override
		public void close() {
		}

	}

}
