package io.heare.stats.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every protocol's client shares: recording into lock-free per-name cells, and one
 * daemon sender thread that drains them through the protocol's {@link Transport}. Record
 * calls never block on the network and never throw.
 */
abstract class AbstractStatsClient implements StatsClient, DropCounting {

	private static final Logger logger = LoggerFactory.getLogger(AbstractStatsClient.class);

	private static final AtomicInteger threadNumber = new AtomicInteger();

	private static final VarHandle CLOSED;

	static {
		try {
			CLOSED = MethodHandles.lookup().findVarHandle(AbstractStatsClient.class, "closed", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String description;

	private final ClientStats stats = new ClientStats();

	private final Aggregator aggregator;

	private final Sender sender;

	private final Duration flushTimeout;

	private final Duration closeTimeout;

	// A field of the client rather than an AtomicBoolean: every record call reads it, and
	// this saves that call a load.
	private volatile boolean closed;

	private final Thread shutdownHook;

	private final Object flushLock = new Object();

	// Guarded by flushLock: updates lost up to the last flush, so that a flush reports
	// losses since.
	private long lostAtLastFlush;

	/**
	 * @param config validated settings
	 * @param transport the protocol's transport; closed with the client
	 * @param destination where metrics go ({@code http://host:port/http}); must not
	 * contain the secret
	 */
	AbstractStatsClient(StatsClientConfig config, Transport transport, String destination) {
		String prefix = config.prefix();
		this.description = getClass().getSimpleName() + "[" + destination + ", prefix=" + prefix + "]";
		this.flushTimeout = config.get(StatsClientConfig.FLUSH_TIMEOUT);
		this.closeTimeout = config.get(StatsClientConfig.CLOSE_TIMEOUT);
		int maxPendingValues = config.get(StatsClientConfig.MAX_PENDING_VALUES);
		this.aggregator = new Aggregator(prefix, config.get(StatsClientConfig.MAX_NAMES), maxPendingValues, this.stats);
		ThreadFactory threadFactory = (config.threadFactory() != null) ? config.threadFactory()
				: (runnable) -> new Thread(runnable, "heare-stats-sender-" + threadNumber.incrementAndGet());
		this.sender = new Sender(this.aggregator, transport, this.stats, config.retryPolicy(),
				config.get(StatsClientConfig.LINGER), maxPendingValues, threadFactory);
		this.sender.start();
		this.shutdownHook = config.get(StatsClientConfig.CLOSE_ON_SHUTDOWN) ? addShutdownHook() : null;
		if (config.secret() != null) {
			warnIfSecretInClearText(URI.create(destination).getScheme(), config.destHost());
		}
		logger.info("heare stats client started: protocol {}, destination {}, prefix {}",
				StatsClientConfig.lowerCase(config.protocol()), destination,
				(prefix != null && !prefix.isBlank()) ? "'" + prefix + "'" : "none");
	}

	/**
	 * Warns once, at start-up, when the secret is about to travel unencrypted to a host
	 * other than this machine.
	 */
	private static void warnIfSecretInClearText(String scheme, String host) {
		if (("http".equals(scheme) || "ws".equals(scheme)) && !isLoopback(host)) {
			logger.warn(
					"heare stats sends its secret over unencrypted {} to {}: anyone on the way can read it; "
							+ "use https (port 443 or the http.scheme setting) for a service beyond this host",
					scheme, host);
		}
	}

	// Without a name lookup: a name other than localhost counts as remote.
	static boolean isLoopback(String host) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(java.util.Locale.ROOT).endsWith(".localhost")) {
			return true;
		}
		if (bare.matches("[0-9.]+") || bare.indexOf(':') >= 0) {
			try {
				return java.net.InetAddress.getByName(bare).isLoopbackAddress();
			}
			catch (java.net.UnknownHostException ex) {
				return false;
			}
		}
		return false;
	}

	private Thread addShutdownHook() {
		Thread hook = new Thread(this::close, "heare-stats-shutdown");
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			return hook;
		}
		catch (IllegalStateException | SecurityException ex) {
			// The JVM is already shutting down, or hooks are not allowed: close() stays
			// the caller's job.
			return null;
		}
	}

	private void removeShutdownHook() {
		if (this.shutdownHook != null && Thread.currentThread() != this.shutdownHook) {
			try {
				// Otherwise the hook would keep a closed client reachable until the JVM
				// exits.
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException | SecurityException ex) {
				// Shutting down: the hook runs and finds the client closed.
			}
		}
	}

	@Override
	public void incr(String name, double value) {
		if (open()) {
			this.aggregator.incr(name, value);
			this.sender.wake();
		}
	}

	@Override
	public void incr(String name, double value, double sampleRate) {
		if (open()) {
			this.aggregator.incr(name, value, sampleRate);
			this.sender.wake();
		}
	}

	@Override
	public void time(String name, double millis) {
		if (open()) {
			this.aggregator.time(name, millis);
			this.sender.wake();
		}
	}

	@Override
	public void time(String name, double millis, double sampleRate) {
		if (open()) {
			this.aggregator.time(name, millis, sampleRate);
			this.sender.wake();
		}
	}

	@Override
	public void gauge(String name, double value) {
		if (open()) {
			this.aggregator.gauge(name, value);
			this.sender.wake();
		}
	}

	@Override
	public void hist(String name, double value) {
		if (open()) {
			this.aggregator.hist(name, value);
			this.sender.wake();
		}
	}

	@Override
	public Counter counter(String name) {
		return new BoundCounter(name);
	}

	@Override
	public Timer timer(String name) {
		return new BoundValues(name, false);
	}

	@Override
	public Histogram histogram(String name) {
		return new BoundValues(name, true);
	}

	@Override
	public Timer timer(Collection<String> timerNames, Collection<String> counterNames) {
		return new BoundGroup(timerNames, counterNames);
	}

	private boolean open() {
		if (this.closed) {
			this.stats.refused(DropReason.CLOSED);
			return false;
		}
		return true;
	}

	@Override
	public Pipeline pipeline() {
		return new BufferedPipeline(this);
	}

	/**
	 * {@inheritDoc} They make the next {@link #flush()} return {@code false} as well.
	 */
	@Override
	public void refusedElsewhere(DropReason reason, long count) {
		this.stats.refused(reason, count);
	}

	/** Applies a closed pipeline's entries, then wakes the sender once. */
	void apply(BufferedPipeline pipeline) {
		if (this.closed) {
			this.stats.refused(DropReason.CLOSED, pipeline.size());
			return;
		}
		pipeline.replay(this.aggregator);
		this.sender.wake();
	}

	/**
	 * {@inheritDoc} Also {@code false} when updates recorded since the previous flush
	 * were dropped for any reason other than invalid input (a limit, a refusal, a failed
	 * send).
	 */
	@Override
	public boolean flush() {
		try {
			if (this.closed) {
				return false;
			}
			boolean delivered = this.sender.flush(this.flushTimeout);
			synchronized (this.flushLock) {
				long lost = this.stats.lostTotal();
				boolean nothingLost = lost == this.lostAtLastFlush;
				this.lostAtLastFlush = lost;
				return delivered && nothingLost;
			}
		}
		catch (RuntimeException ex) {
			logger.debug("flush failed", ex);
			return false;
		}
	}

	/**
	 * {@inheritDoc} Waits for the final flush until the close timeout whether or not the
	 * calling thread is interrupted (its interrupt status is kept), then makes one last
	 * drain and send; what could not be sent is counted as
	 * {@link DropReason#UNDELIVERED_AT_CLOSE}.
	 */
	@Override
	public void close() {
		if (!CLOSED.compareAndSet(this, false, true)) {
			return;
		}
		removeShutdownHook();
		try {
			long start = System.nanoTime();
			this.sender.flush(this.closeTimeout);
			long remaining = this.closeTimeout.toNanos() - (System.nanoTime() - start);
			boolean timedOut = remaining <= 0;
			long undelivered = this.sender.stop(Duration.ofNanos(Math.max(remaining, 200_000_000L)));
			long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
			if (undelivered == 0 && !timedOut) {
				Telemetry telemetry = this.stats.snapshot();
				if (telemetry.droppedTotal() == 0) {
					logger.debug("{} closed after {} ms; everything recorded was delivered", this, waited);
				}
				else {
					logger.info(
							"{} closed after {} ms with nothing left undelivered; {} updates were dropped since "
									+ "start ({} refused by the service); last send: {}",
							this, waited, telemetry.droppedTotal(), telemetry.dropped(DropReason.REJECTED),
							this.sender.lastOutcome());
				}
			}
			else {
				Telemetry telemetry = this.stats.snapshot();
				logger.warn(
						"{} closed after {} ms{}: {} updates undelivered at close, {} dropped since start "
								+ "({} refused by the service); last send: {}",
						this, waited,
						timedOut ? " (the close timeout of " + this.closeTimeout.toMillis() + " ms passed)" : "",
						undelivered, telemetry.droppedTotal(), telemetry.dropped(DropReason.REJECTED),
						this.sender.lastOutcome());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Closing {} failed", this, ex);
		}
	}

	@Override
	public Telemetry telemetry() {
		return this.stats.snapshot();
	}

	@Override
	public String toString() {
		return this.description;
	}

	/**
	 * A counter bound to its name: its cell is looked up on the first update and kept.
	 */
	private final class BoundCounter implements Counter {

		private final String name;

		// Volatile for a safe hand-over between threads; a thread that has not seen the
		// cell yet looks it up and finds the same one.
		private volatile CounterCell cell;

		BoundCounter(String name) {
			this.name = name;
		}

		@Override
		public void incr(double value) {
			if (open()) {
				CounterCell known = this.cell;
				CounterCell cell = AbstractStatsClient.this.aggregator.incr(known, this.name, value);
				if (cell != known) {
					this.cell = cell;
				}
				AbstractStatsClient.this.sender.wake();
			}
		}

		@Override
		public String toString() {
			return "Counter[" + this.name + "]";
		}

	}

	/**
	 * Timers and counters updated together. Each metric has a handle of its own, through
	 * which the first value goes and which finds its cell; from the second value on, once
	 * every cell is known, values go to the group's lane cell as one entry each.
	 */
	private final class BoundGroup implements Timer {

		private final BoundValues[] timers;

		private final BoundCounter[] counters;

		private final int updates;

		private volatile ValueCell cell;

		// The cell's lane id, written before the cell is published: a value is written to
		// the lane without reading the cell, one cache line fewer per value.
		private int cellId;

		// Set when the client has no room for another group: the handles serve for good.
		private volatile boolean ungrouped;

		BoundGroup(Collection<String> timerNames, Collection<String> counterNames) {
			this.timers = timerNames.stream().map((name) -> new BoundValues(name, false)).toArray(BoundValues[]::new);
			this.counters = counterNames.stream().map(BoundCounter::new).toArray(BoundCounter[]::new);
			this.updates = this.timers.length + this.counters.length;
		}

		@Override
		public void time(double millis) {
			ValueCell cell = this.cell;
			if (cell == null && (cell = group()) == null) {
				for (BoundValues timer : this.timers) {
					timer.add(millis);
				}
				for (BoundCounter counter : this.counters) {
					counter.incr(1d);
				}
				return;
			}
			if (AbstractStatsClient.this.closed) {
				AbstractStatsClient.this.stats.refused(DropReason.CLOSED, this.updates);
				return;
			}
			AbstractStatsClient.this.aggregator.record(cell, this.cellId, millis);
			AbstractStatsClient.this.sender.wake();
		}

		// The group's lane cell, once every metric's cell is known; made once. A group
		// whose metrics cannot all be recorded (an invalid name, the name limit) stays
		// with its handles, without taking the lock on every value.
		private ValueCell group() {
			if (this.ungrouped) {
				return null;
			}
			for (BoundValues timer : this.timers) {
				if (timer.cell == null) {
					return null;
				}
			}
			for (BoundCounter counter : this.counters) {
				if (counter.cell == null) {
					return null;
				}
			}
			synchronized (this) {
				if (this.cell == null && !this.ungrouped) {
					ValueCell[] values = new ValueCell[this.timers.length];
					for (int i = 0; i < values.length; i++) {
						values[i] = this.timers[i].cell;
					}
					CounterCell[] counters = new CounterCell[this.counters.length];
					for (int i = 0; i < counters.length; i++) {
						counters[i] = this.counters[i].cell;
					}
					ValueCell cell = AbstractStatsClient.this.aggregator.groupCell(counters, values);
					if (cell != null) {
						this.cellId = cell.id;
					}
					this.cell = cell;
					this.ungrouped = cell == null;
				}
				return this.cell;
			}
		}

		@Override
		public String toString() {
			return "Timer" + Arrays.toString(this.timers) + Arrays.toString(this.counters);
		}

	}

	/**
	 * A timer or histogram bound to its name: its cell is looked up on the first value
	 * and kept.
	 */
	private final class BoundValues implements Timer, Histogram {

		private final String name;

		private final boolean histogram;

		private volatile ValueCell cell;

		BoundValues(String name, boolean histogram) {
			this.name = name;
			this.histogram = histogram;
		}

		@Override
		public void time(double millis) {
			add(millis);
		}

		@Override
		public void hist(double value) {
			add(value);
		}

		private void add(double value) {
			if (open()) {
				ValueCell known = this.cell;
				ValueCell cell = AbstractStatsClient.this.aggregator.append(known, this.name, this.histogram, value);
				if (cell != known) {
					this.cell = cell;
				}
				AbstractStatsClient.this.sender.wake();
			}
		}

		@Override
		public String toString() {
			return (this.histogram ? "Histogram[" : "Timer[") + this.name + "]";
		}

	}

}
