package io.heare.stats.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.heare.stats.client.internal.Aggregator;
import io.heare.stats.client.internal.ClientStats;
import io.heare.stats.client.internal.Sender;
import io.heare.stats.client.transport.Transport;

/**
 * What every protocol's client shares: recording into lock-free per-name cells, and one
 * daemon sender thread that drains them through the protocol's {@link Transport}. Record
 * calls never block on the network and never throw.
 */
public abstract class AbstractStatsClient implements StatsClient {

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

	// A field of the client rather than an AtomicBoolean: every record call reads it, and this
	// saves that call a load.
	private volatile boolean closed;

	private final Thread shutdownHook;

	/**
	 * @param builder validated settings
	 * @param transport the protocol's transport; closed with the client
	 * @param description shown by {@link #toString()}; must not contain the secret
	 */
	protected AbstractStatsClient(StatsClientBuilder<?, ?> builder, Transport transport, String description) {
		this.description = description;
		this.flushTimeout = builder.flushTimeout;
		this.closeTimeout = builder.closeTimeout;
		this.aggregator = new Aggregator(builder.prefix, builder.maxNames, builder.maxPendingValues, this.stats);
		ThreadFactory threadFactory = (builder.threadFactory != null) ? builder.threadFactory
				: (runnable) -> new Thread(runnable, "heare-stats-sender-" + threadNumber.incrementAndGet());
		this.sender = new Sender(this.aggregator, transport, this.stats, builder.retryPolicy, builder.linger,
				builder.maxPendingValues, threadFactory);
		this.sender.start();
		this.shutdownHook = builder.closeOnShutdown ? addShutdownHook() : null;
	}

	private Thread addShutdownHook() {
		Thread hook = new Thread(this::close, "heare-stats-shutdown");
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			return hook;
		}
		catch (IllegalStateException | SecurityException ex) {
			// The JVM is already shutting down, or hooks are not allowed: close() stays the caller's job.
			return null;
		}
	}

	private void removeShutdownHook() {
		if (this.shutdownHook != null && Thread.currentThread() != this.shutdownHook) {
			try {
				// Otherwise the hook would keep a closed client reachable until the JVM exits.
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

	private boolean open() {
		if (this.closed) {
			this.stats.dropped(DropReason.CLOSED);
			return false;
		}
		return true;
	}

	@Override
	public Pipeline pipeline() {
		return new BufferedPipeline(this);
	}

	/** Applies a closed pipeline's entries, then wakes the sender once. */
	void apply(BufferedPipeline pipeline) {
		if (this.closed) {
			this.stats.dropped(DropReason.CLOSED, pipeline.size());
			return;
		}
		pipeline.replay(this.aggregator);
		this.sender.wake();
	}

	@Override
	public boolean flush() {
		try {
			return !this.closed && this.sender.flush(this.flushTimeout);
		}
		catch (RuntimeException ex) {
			logger.debug("flush failed", ex);
			return false;
		}
	}

	@Override
	public void close() {
		if (!CLOSED.compareAndSet(this, false, true)) {
			return;
		}
		removeShutdownHook();
		try {
			boolean delivered = this.sender.flush(this.closeTimeout);
			long undelivered = this.sender.stop(Duration.ofMillis(200));
			this.stats.dropped(DropReason.UNDELIVERED_AT_CLOSE, undelivered);
			if (delivered && undelivered == 0) {
				logger.debug("{} closed; everything recorded was delivered", this);
			}
			else {
				logger.warn("{} closed with {} metric entries undelivered after waiting {} ms; last error: {}", this,
						undelivered, this.closeTimeout.toMillis(), this.stats.snapshot().lastErrorMessage());
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

}
