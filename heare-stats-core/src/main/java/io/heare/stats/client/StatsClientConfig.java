package io.heare.stats.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration of a {@link StatsClient}: an immutable value, validated when it is
 * built, from which {@link StatsClient#create(StatsClientConfig)} creates the client.
 * <p>
 * Every setting is declared once, below, as a {@link Setting} constant that carries its
 * name, default, validation and documentation; the builder's {@link Builder#set set},
 * {@link StatsClientSettings} and the Spring Boot starter all work from those
 * declarations. The five settings the Python client shares have typed builder methods:
 * <pre class="code">
 * StatsClientConfig config = StatsClientConfig.builder()
 * 	.protocol(Protocol.UDP)
 * 	.destHost("localhost")
 * 	.destPort(8125)
 * 	.prefix("myapp")
 * 	.set(StatsClientConfig.LINGER, Duration.ofMillis(20))
 * 	.build();
 * StatsClient client = StatsClient.create(config);
 * </pre> Besides the settings, the builder takes the components a client runs with (an
 * {@link HttpSender}, an {@link Executor}, a {@link ThreadFactory}); they are code, not
 * configuration, and have no names. {@link #toString()} never shows the secret.
 */
public final class StatsClientConfig {

	private static final Logger logger = LoggerFactory.getLogger(StatsClientConfig.class);

	private static final String MASK = "****";

	/** Protocol used to reach the metrics service. */
	public static final Setting<Protocol> PROTOCOL = Setting.shared("protocol", Protocol.class, Protocol.HTTP,
			"Protocol used to reach the metrics service.", "one of http, tcp, udp, ws", Objects::nonNull);

	/** Host name or IP address of the metrics service; required. */
	public static final Setting<String> DEST_HOST = Setting.shared("dest_host", String.class, null,
			"Host name or IP address of the metrics service.",
			"the host name or IP address of the metrics service, without scheme, port or path",
			StatsClientConfig::isHost);

	/** Port of the metrics service; required. */
	public static final Setting<Integer> DEST_PORT = Setting.shared("dest_port", Integer.class, null,
			"Port of the metrics service.", "a port between 1 and 65535",
			(port) -> port != null && port >= 1 && port <= 65535);

	/**
	 * Secret sent by the http and ws protocols, which require it; udp and tcp never send
	 * it, so with them a secret is ignored with a warning rather than rejected (one
	 * deployment's settings often serve clients of several protocols).
	 */
	public static final Setting<String> SECRET = Setting.shared("secret", String.class, null,
			"Secret that authenticates the application with the metrics service, required by the http and ws protocols.",
			"a non-empty secret, required by the http and ws protocols",
			(secret) -> secret == null || !secret.isEmpty());

	/** Prefix joined with a dot in front of every metric name; blank for none. */
	public static final Setting<String> PREFIX = Setting.shared("prefix", String.class, null,
			"Prefix joined with a dot in front of every metric name.", "any text", (prefix) -> true);

	/** Cap on distinct metric names; updates to further names are dropped and counted. */
	public static final Setting<Integer> MAX_NAMES = Setting.of("max_names", Integer.class, 10_000,
			"Maximum number of distinct metric names; updates to further names are dropped.",
			"a whole number of at least 1", StatsClientConfig::positive);

	/**
	 * Cap on timer and histogram values waiting to be sent; further values are dropped
	 * and counted.
	 */
	public static final Setting<Integer> MAX_PENDING_VALUES = Setting.of("max_pending_values", Integer.class, 100_000,
			"Maximum number of timer and histogram values waiting to be sent; further values are dropped.",
			"a whole number of at least 1", StatsClientConfig::positive);

	/**
	 * Time a busy sender waits after one send before the next, so that more metrics
	 * merge.
	 */
	public static final Setting<Duration> LINGER = Setting.of("linger", Duration.class, Duration.ofMillis(300),
			"Time a busy sender waits between two sends so that more metrics merge into one.",
			"a duration of zero or more", StatsClientConfig::zeroOrMore);

	/** Limit on how long {@link StatsClient#flush()} waits for delivery. */
	public static final Setting<Duration> FLUSH_TIMEOUT = Setting.of("flush_timeout", Duration.class,
			Duration.ofSeconds(5), "Maximum time a flush waits for delivery.", "a positive duration",
			StatsClientConfig::positive);

	/** Limit on how long {@link StatsClient#close()} waits for the final flush. */
	public static final Setting<Duration> CLOSE_TIMEOUT = Setting.of("close_timeout", Duration.class,
			Duration.ofSeconds(5), "Maximum time closing the client waits for pending metrics to be delivered.",
			"a duration of zero or more", StatsClientConfig::zeroOrMore);

	/**
	 * Whether a JVM shutdown hook closes the client if it is still open when the JVM
	 * exits, so that a program that never calls {@link StatsClient#close()} still
	 * delivers its last metrics. The Spring Boot starter turns it off: the application
	 * context closes the client once the web server has stopped.
	 */
	public static final Setting<Boolean> CLOSE_ON_SHUTDOWN = Setting.of("close_on_shutdown", Boolean.class, true,
			"Whether a JVM shutdown hook closes the client if it is still open at exit.", "true or false",
			Objects::nonNull);

	/** Delay before the first retry of a failed send. */
	public static final Setting<Duration> RETRY_INITIAL_BACKOFF = Setting.of("retry.initial_backoff", Duration.class,
			Duration.ofMillis(100), "Delay before the first retry.", "a positive duration",
			StatsClientConfig::positive);

	/** Longest delay between two retries; no shorter than the initial backoff. */
	public static final Setting<Duration> RETRY_MAX_BACKOFF = Setting.of("retry.max_backoff", Duration.class,
			Duration.ofSeconds(30), "Longest delay between two retries.",
			"a duration no shorter than the initial backoff", StatsClientConfig::positive);

	/** Factor by which the retry delay grows after each failed attempt. */
	public static final Setting<Double> RETRY_MULTIPLIER = Setting.of("retry.multiplier", Double.class, 2.0,
			"Factor by which the delay grows after each failed attempt.", "a number >= 1",
			(multiplier) -> multiplier != null && multiplier >= 1.0 && !multiplier.isInfinite());

	/**
	 * Fraction of each retry delay that is randomized, so that many clients do not retry
	 * in step.
	 */
	public static final Setting<Double> RETRY_JITTER = Setting.of("retry.jitter", Double.class, 0.2,
			"Fraction of each delay that is randomized so that many clients do not retry in step.",
			"a fraction between 0 and 1", (jitter) -> jitter != null && jitter >= 0.0 && jitter <= 1.0);

	/**
	 * Scheme of the http and ws endpoints, instead of the one the port implies (secure
	 * exactly on port 443). {@code https} and {@code wss} both mean secure, {@code http}
	 * and {@code ws} plain, whichever of the two protocols is configured.
	 */
	public static final Setting<String> HTTP_SCHEME = Setting.of("http.scheme", String.class, null,
			"Scheme of the endpoint, http or https, instead of the one the port implies.",
			"http or https (ws or wss are read the same)",
			(scheme) -> scheme == null || List.of("http", "https", "ws", "wss").contains(scheme));

	/**
	 * Limit on establishing a connection (or the WebSocket handshake) with the client's
	 * own transports.
	 */
	public static final Setting<Duration> HTTP_CONNECT_TIMEOUT = Setting.of("http.connect_timeout", Duration.class,
			Duration.ofSeconds(5), "Connect timeout of the client's own HTTP and WebSocket transports.",
			"a positive duration", StatsClientConfig::positive);

	/** Limit on one request, response included; over ws, on sending one frame. */
	public static final Setting<Duration> HTTP_REQUEST_TIMEOUT = Setting.of("http.request_timeout", Duration.class,
			Duration.ofSeconds(10), "Timeout of one request, response included (over ws, of sending one frame).",
			"a positive duration", StatsClientConfig::positive);

	/**
	 * Most entries (counters, gauges, single timer or histogram values) in one request or
	 * frame. Unset, it is 50,000 over http, whose bodies {@link #HTTP_MAX_BATCH_BYTES}
	 * bounds as well, and 5,000 over ws, whose frames nothing else bounds and which
	 * WebSocket servers commonly take up to 64 KB.
	 */
	public static final Setting<Integer> HTTP_MAX_BATCH_SIZE = Setting.of("http.max_batch_size", Integer.class, null,
			"Maximum number of entries in one request body or frame; unset, 50,000 over http and 5,000 over ws.",
			"a whole number of at least 1", (size) -> size == null || size >= 1);

	/**
	 * Most bytes in one http request body: half the 1 MB that proxies commonly allow; a
	 * larger batch is split and sent in parts. At least 1024, so that any single entry
	 * fits.
	 */
	public static final Setting<Integer> HTTP_MAX_BATCH_BYTES = Setting.of("http.max_batch_bytes", Integer.class,
			512 * 1024, "Maximum size of one request body over http, in bytes.", "a size of at least 1024 bytes",
			(bytes) -> bytes != null && bytes >= 1024);

	/**
	 * Most payload bytes in one UDP datagram: an Ethernet MTU less IP and UDP headers;
	 * use 512 across the internet.
	 */
	public static final Setting<Integer> STATSD_MAX_PACKET_SIZE = Setting.of("statsd.max_packet_size", Integer.class,
			1432, "Maximum payload size of one UDP datagram, in bytes.", "a size from 1 to 65507 bytes",
			(size) -> size != null && size >= 1 && size <= 65_507);

	/**
	 * Most UDP datagrams sent per second, 0 for no limit. A StatsD daemon that reads its
	 * socket slower than a burst arrives loses datagrams in its kernel, where nothing
	 * counts them; with a limit the sender spaces them out, and values it cannot send in
	 * time are held within the caps and otherwise dropped and counted.
	 */
	public static final Setting<Integer> STATSD_MAX_PACKETS_PER_SECOND = Setting.of("statsd.max_packets_per_second",
			Integer.class, 0, "Maximum number of UDP datagrams sent per second, 0 for no limit.",
			"0 for no limit, or a number of datagrams per second", (rate) -> rate != null && rate >= 0);

	/**
	 * How often the destination host's name is resolved again over udp, so that a
	 * collector that moved is found.
	 */
	public static final Setting<Duration> STATSD_HOST_REFRESH_INTERVAL = Setting.of("statsd.host_refresh_interval",
			Duration.class, Duration.ofSeconds(60), "Interval between look-ups of the destination host's address.",
			"a duration of zero or more", StatsClientConfig::zeroOrMore);

	/** StatsD daemon the udp and tcp lines are written for. */
	public static final Setting<StatsdFlavor> STATSD_FLAVOR = Setting.of("statsd.flavor", StatsdFlavor.class,
			StatsdFlavor.HEARE, "StatsD daemon the lines are written for.", "one of heare, etsy, datadog",
			Objects::nonNull);

	/**
	 * StatsD type written for histogram values instead of the flavor's; none for the
	 * flavor's own.
	 */
	public static final Setting<HistogramType> STATSD_HISTOGRAM_TYPE = Setting.of("statsd.histogram_type",
			HistogramType.class, null, "StatsD type written for histogram values instead of the flavor's.",
			"one of h, ms, d", (type) -> true);

	/** Limit on establishing the tcp connection. */
	public static final Setting<Duration> STATSD_CONNECT_TIMEOUT = Setting.of("statsd.connect_timeout", Duration.class,
			Duration.ofSeconds(5), "Connect timeout of the tcp protocol.", "a positive duration",
			StatsClientConfig::positive);

	/**
	 * Limit on writing one batch over tcp; a collector that stops reading counts as a
	 * broken connection.
	 */
	public static final Setting<Duration> STATSD_WRITE_TIMEOUT = Setting.of("statsd.write_timeout", Duration.class,
			Duration.ofSeconds(10), "Timeout of writing one batch over tcp.", "a positive duration",
			StatsClientConfig::positive);

	private static final List<Setting<?>> SETTINGS = Collections.unmodifiableList(new ArrayList<>(Setting.declared));

	private final Object[] values;

	private final RetryPolicy retryPolicy;

	private final HttpSender httpSender;

	private final Executor executor;

	private final ThreadFactory threadFactory;

	private StatsClientConfig(Builder builder, Object[] values, RetryPolicy retryPolicy) {
		this.values = values;
		this.retryPolicy = retryPolicy;
		this.httpSender = builder.httpSender;
		this.executor = builder.executor;
		this.threadFactory = builder.threadFactory;
	}

	/** A builder holding every setting's default. */
	public static Builder builder() {
		return new Builder();
	}

	/** Every setting, in declaration order. */
	public static List<Setting<?>> settings() {
		return SETTINGS;
	}

	/**
	 * The value of {@code setting}; {@code null} for an optional setting that is unset.
	 */
	public <T> T get(Setting<T> setting) {
		return setting.type.cast(this.values[setting.index]);
	}

	/** The protocol. */
	public Protocol protocol() {
		return get(PROTOCOL);
	}

	/** The host of the metrics service. */
	public String destHost() {
		return get(DEST_HOST);
	}

	/** The port of the metrics service. */
	public int destPort() {
		return get(DEST_PORT);
	}

	/** The secret, or {@code null} when none is set or the protocol does not send it. */
	public String secret() {
		return get(SECRET);
	}

	/** The prefix, or {@code null} for none. */
	public String prefix() {
		return get(PREFIX);
	}

	/** The retry policy that the {@code retry.*} settings describe. */
	public RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

	/** The HTTP sender, or {@code null} for the client's own. */
	public HttpSender httpSender() {
		return this.httpSender;
	}

	/**
	 * The executor of the JDK HTTP and WebSocket clients' callbacks, or {@code null} for
	 * their own.
	 */
	public Executor executor() {
		return this.executor;
	}

	/**
	 * The sender thread's factory, or {@code null} for one named
	 * {@code heare-stats-sender-N}.
	 */
	public ThreadFactory threadFactory() {
		return this.threadFactory;
	}

	/** A builder that starts from this configuration. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		System.arraycopy(this.values, 0, builder.values, 0, this.values.length);
		builder.httpSender = this.httpSender;
		builder.executor = this.executor;
		builder.threadFactory = this.threadFactory;
		return builder;
	}

	@Override
	public String toString() {
		StringJoiner joiner = new StringJoiner(", ", "StatsClientConfig[", "]");
		for (Setting<?> setting : SETTINGS) {
			Object value = this.values[setting.index];
			if (value != null) {
				joiner.add(setting.name + "=" + setting.display(value));
			}
		}
		return joiner.toString();
	}

	static String lowerCase(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether the value can be a host name or an IP address: a URL, a {@code host:port}
	 * or an unresolved placeholder would otherwise surface only when the first send fails
	 * or as an exception that names no setting.
	 */
	private static boolean isHost(String value) {
		if (!hasText(value) || value.contains("${")) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isWhitespace(c) || c == '/' || c == '@' || c == '?' || c == '#') {
				return false;
			}
		}
		int colon = value.indexOf(':');
		// One colon is host:port; IPv6 literals have at least two.
		return colon < 0 || value.indexOf(':', colon + 1) > 0;
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	private static boolean positive(Integer value) {
		return value != null && value >= 1;
	}

	private static boolean positive(Duration value) {
		return value != null && !value.isNegative() && !value.isZero();
	}

	private static boolean zeroOrMore(Duration value) {
		return value != null && !value.isNegative();
	}

	/**
	 * One setting: its name (as the Python client and the error messages write it; the
	 * Spring Boot property is {@code heare.stats.} followed by the name with {@code -}
	 * for {@code _}), type, default, what is allowed, and a one-sentence description.
	 *
	 * @param <T> the type of its value
	 */
	public static final class Setting<T> {

		private static final String ENVIRONMENT_PREFIX = "STATS_CLIENT_SETTINGS__";

		private static final List<Setting<?>> declared = new ArrayList<>();

		private final int index;

		private final String name;

		private final Class<T> type;

		private final T defaultValue;

		private final String description;

		private final String allowed;

		private final Predicate<? super T> rule;

		private final boolean shared;

		private Setting(String name, Class<T> type, T defaultValue, String description, String allowed,
				Predicate<? super T> rule, boolean shared) {
			this.index = declared.size();
			this.name = name;
			this.type = type;
			this.defaultValue = defaultValue;
			this.description = description;
			this.allowed = allowed;
			this.rule = rule;
			this.shared = shared;
			declared.add(this);
		}

		static <T> Setting<T> of(String name, Class<T> type, T defaultValue, String description, String allowed,
				Predicate<? super T> rule) {
			return new Setting<>(name, type, defaultValue, description, allowed, rule, false);
		}

		static <T> Setting<T> shared(String name, Class<T> type, T defaultValue, String description, String allowed,
				Predicate<? super T> rule) {
			return new Setting<>(name, type, defaultValue, description, allowed, rule, true);
		}

		/** The name, for example {@code dest_port} or {@code http.request_timeout}. */
		public String name() {
			return this.name;
		}

		/** The type of the value. */
		public Class<T> type() {
			return this.type;
		}

		/**
		 * The default, or {@code null} when the setting is required or optional without
		 * one.
		 */
		public T defaultValue() {
			return this.defaultValue;
		}

		/** One sentence saying what the setting does. */
		public String description() {
			return this.description;
		}

		/** What the setting accepts, as error messages say it. */
		public String allowed() {
			return this.allowed;
		}

		/**
		 * The environment variable of the Python client's heare-config settings
		 * ({@code STATS_CLIENT_SETTINGS__DEST_HOST}), or {@code null} for a setting the
		 * Python client does not have.
		 */
		public String environmentVariable() {
			return this.shared ? ENVIRONMENT_PREFIX + this.name.toUpperCase(Locale.ROOT) : null;
		}

		/** Whether the value is a secret, which no message or {@code toString} shows. */
		public boolean isSecret() {
			return this == SECRET;
		}

		/** The value as messages show it: masked for the secret. */
		public String display(Object value) {
			if (value == null) {
				return null;
			}
			if (isSecret()) {
				return MASK;
			}
			return (value instanceof Enum<?> constant) ? lowerCase(constant) : String.valueOf(value);
		}

		void check(Object value) {
			if (value != null && !this.type.isInstance(value)) {
				throw new InvalidSettingException(this.name, display(value), this.allowed);
			}
			if (!this.rule.test(this.type.cast(value))) {
				throw new InvalidSettingException(this.name, display(value), this.allowed);
			}
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * Builds a {@link StatsClientConfig}. Not thread-safe. {@link #build()} validates
	 * every setting and throws {@link InvalidSettingException} naming the first that is
	 * wrong.
	 */
	public static final class Builder {

		private final Object[] values = new Object[SETTINGS.size()];

		private HttpSender httpSender;

		private Executor executor;

		private ThreadFactory threadFactory;

		private Builder() {
			for (Setting<?> setting : SETTINGS) {
				this.values[setting.index] = setting.defaultValue;
			}
		}

		/**
		 * Sets {@code setting} to {@code value}; {@code null} restores an optional
		 * setting to unset.
		 */
		public <T> Builder set(Setting<T> setting, T value) {
			this.values[setting.index] = value;
			return this;
		}

		/** Sets {@link StatsClientConfig#PROTOCOL}. */
		public Builder protocol(Protocol protocol) {
			return set(PROTOCOL, protocol);
		}

		/** Sets {@link StatsClientConfig#DEST_HOST}. */
		public Builder destHost(String destHost) {
			return set(DEST_HOST, destHost);
		}

		/** Sets {@link StatsClientConfig#DEST_PORT}. */
		public Builder destPort(int destPort) {
			return set(DEST_PORT, destPort);
		}

		/** Sets {@link StatsClientConfig#SECRET}. */
		public Builder secret(String secret) {
			return set(SECRET, secret);
		}

		/** Sets {@link StatsClientConfig#PREFIX}. */
		public Builder prefix(String prefix) {
			return set(PREFIX, prefix);
		}

		/** Sets the four {@code retry.*} settings from {@code policy}. */
		public Builder retryPolicy(RetryPolicy policy) {
			return set(RETRY_INITIAL_BACKOFF, policy.initialBackoff()).set(RETRY_MAX_BACKOFF, policy.maxBackoff())
				.set(RETRY_MULTIPLIER, policy.multiplier())
				.set(RETRY_JITTER, policy.jitter());
		}

		/**
		 * Posts the http protocol's requests instead of the client's own sender (a
		 * kept-alive HTTP/1.1 connection for {@code http}, the JDK's
		 * {@code java.net.http.HttpClient} for {@code https}); the client closes it.
		 */
		public Builder httpSender(HttpSender httpSender) {
			this.httpSender = httpSender;
			return this;
		}

		/**
		 * Runs the JDK HTTP and WebSocket clients' callbacks; not used by a custom
		 * {@link #httpSender}.
		 */
		public Builder executor(Executor executor) {
			this.executor = executor;
			return this;
		}

		/** Creates the sender thread (it is made a daemon). */
		public Builder threadFactory(ThreadFactory threadFactory) {
			this.threadFactory = threadFactory;
			return this;
		}

		/**
		 * Validates the settings.
		 * @return the configuration
		 * @throws InvalidSettingException naming the first setting that is wrong
		 */
		public StatsClientConfig build() {
			Object[] values = this.values.clone();
			for (Setting<?> setting : SETTINGS) {
				setting.check(values[setting.index]);
			}
			Protocol protocol = (Protocol) values[PROTOCOL.index];
			if (protocol.requiresSecret() && values[SECRET.index] == null) {
				throw new InvalidSettingException(SECRET.name, null,
						"a secret is required for protocol " + lowerCase(protocol));
			}
			if (!protocol.requiresSecret() && values[SECRET.index] != null) {
				logger.warn("heare stats ignores the secret: protocol {} never sends it", lowerCase(protocol));
				values[SECRET.index] = null;
			}
			RetryPolicy retryPolicy = new RetryPolicy((Duration) values[RETRY_INITIAL_BACKOFF.index],
					(Duration) values[RETRY_MAX_BACKOFF.index], (Double) values[RETRY_MULTIPLIER.index],
					(Double) values[RETRY_JITTER.index]);
			return new StatsClientConfig(this, values, retryPolicy);
		}

	}

}
