package io.heare.stats.client;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * Settings every client shares. Each protocol's client has a builder that extends this one
 * with its own settings; {@link #build()} validates everything and throws
 * {@link InvalidSettingException} naming the setting that is wrong.
 *
 * @param <B> the concrete builder
 * @param <C> the client it builds
 */
public abstract class StatsClientBuilder<B extends StatsClientBuilder<B, C>, C extends StatsClient> {

	/** Default cap on distinct metric names. */
	public static final int DEFAULT_MAX_NAMES = 10_000;

	/** Default cap on timer and histogram values waiting to be sent. */
	public static final int DEFAULT_MAX_PENDING_VALUES = 100_000;

	/** Default time a busy sender waits between two sends so that more metrics merge. */
	public static final Duration DEFAULT_LINGER = Duration.ofMillis(10);

	/** Default limit for {@link StatsClient#flush()}. */
	public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(5);

	/** Default limit for the flush that {@link StatsClient#close()} does. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	final String host;

	final int port;

	String secret;

	String prefix;

	int maxNames = DEFAULT_MAX_NAMES;

	int maxPendingValues = DEFAULT_MAX_PENDING_VALUES;

	Duration linger = DEFAULT_LINGER;

	Duration flushTimeout = DEFAULT_FLUSH_TIMEOUT;

	Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

	RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

	ThreadFactory threadFactory;

	boolean closeOnShutdown = true;

	StatsClientBuilder(String host, int port) {
		this.host = host;
		this.port = port;
	}

	@SuppressWarnings("unchecked")
	private B self() {
		return (B) this;
	}

	/** The shared secret (sent by HTTP and WebSocket; never by UDP or TCP). */
	public B secret(String secret) {
		this.secret = secret;
		return self();
	}

	/** Joined with a dot in front of every metric name; null or blank for none. */
	public B prefix(String prefix) {
		this.prefix = prefix;
		return self();
	}

	/** Cap on distinct metric names; updates to names past it are dropped and counted. */
	public B maxNames(int maxNames) {
		this.maxNames = maxNames;
		return self();
	}

	/** Cap on timer and histogram values waiting to be sent; past it they are dropped and counted. */
	public B maxPendingValues(int maxPendingValues) {
		this.maxPendingValues = maxPendingValues;
		return self();
	}

	/**
	 * How long a busy sender waits after one send before the next, so that more metrics
	 * merge into one request. An idle sender sends at once.
	 */
	public B linger(Duration linger) {
		this.linger = linger;
		return self();
	}

	/** How long {@link StatsClient#flush()} waits for delivery. */
	public B flushTimeout(Duration flushTimeout) {
		this.flushTimeout = flushTimeout;
		return self();
	}

	/** How long {@link StatsClient#close()} waits for the final flush. */
	public B closeTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
		return self();
	}

	/** How failed sends are retried. */
	public B retryPolicy(RetryPolicy retryPolicy) {
		this.retryPolicy = retryPolicy;
		return self();
	}

	/** Creates the sender thread (it is made a daemon). Defaults to one named {@code heare-stats-sender-N}. */
	public B threadFactory(ThreadFactory threadFactory) {
		this.threadFactory = threadFactory;
		return self();
	}

	/**
	 * Whether a JVM shutdown hook closes the client (sending what is pending, within
	 * {@code closeTimeout}) if it is still open when the JVM exits; on by default, so that a
	 * program that ends without calling {@link StatsClient#close()} still delivers its last
	 * metrics. Turn it off when something else closes the client at shutdown in a better
	 * order, as the Spring Boot starter does once the web server has stopped.
	 */
	public B closeOnShutdown(boolean closeOnShutdown) {
		this.closeOnShutdown = closeOnShutdown;
		return self();
	}

	/** Validates the settings and creates the client, which starts its sender thread. */
	public abstract C build();

	void validate(boolean secretRequired, String protocol) {
		if (this.host == null || this.host.isBlank()) {
			throw new InvalidSettingException("dest_host", this.host, "a host name or IP address of the metrics service");
		}
		if (this.port < 1 || this.port > 65535) {
			throw new InvalidSettingException("dest_port", String.valueOf(this.port), "a port between 1 and 65535");
		}
		if (secretRequired && (this.secret == null || this.secret.isEmpty())) {
			throw new InvalidSettingException("secret", null, "a secret is required for protocol " + protocol);
		}
		requirePositive("max_names", this.maxNames);
		requirePositive("max_pending_values", this.maxPendingValues);
		requireDuration("linger", this.linger, true);
		requireDuration("flush_timeout", this.flushTimeout, false);
		requireDuration("close_timeout", this.closeTimeout, true);
		if (this.retryPolicy == null) {
			throw new InvalidSettingException("retry", null, "a RetryPolicy");
		}
	}

	static void requirePositive(String setting, int value) {
		if (value < 1) {
			throw new InvalidSettingException(setting, String.valueOf(value), "a whole number of at least 1");
		}
	}

	static void requireDuration(String setting, Duration value, boolean zeroAllowed) {
		if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
			throw new InvalidSettingException(setting, String.valueOf(value),
					zeroAllowed ? "a duration of zero or more" : "a positive duration");
		}
	}

}
