package io.heare.stats.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.heare.stats.client.Protocol;
import io.heare.stats.client.HistogramType;
import io.heare.stats.client.StatsdFlavor;

/**
 * {@link ConfigurationProperties @ConfigurationProperties} for the heare stats client.
 * <p>
 * The five settings the Python client shares ({@code protocol}, {@code dest-host},
 * {@code dest-port}, {@code secret}, {@code prefix}) can also be given as the
 * {@code STATS_CLIENT_SETTINGS__*} environment variables (see
 * {@link HeareStatsEnvironmentPostProcessor}). Every property but {@code enabled} and
 * {@code http.ssl.bundle} is the core's {@link io.heare.stats.client.StatsClientConfig}
 * setting of the same name ({@code http.request-timeout} is
 * {@code http.request_timeout}), with the same default ({@code HeareStatsPropertiesTests}
 * keeps both in step).
 *
 * @author heare-stats
 * @since 0.1.0
 */
@ConfigurationProperties("heare.stats")
public class HeareStatsProperties {

	/**
	 * Whether sending metrics to the heare metrics service is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Protocol used to reach the metrics service.
	 */
	private Protocol protocol = Protocol.HTTP;

	/**
	 * Host name or IP address of the metrics service, without which metrics are off.
	 */
	private @Nullable String destHost;

	/**
	 * Port of the metrics service.
	 */
	private @Nullable Integer destPort;

	/**
	 * Secret that authenticates the application with the metrics service, required by the
	 * http and ws protocols.
	 */
	private @Nullable String secret;

	/**
	 * Prefix joined with a dot in front of every metric name.
	 */
	private @Nullable String prefix;

	/**
	 * Maximum number of distinct metric names; updates to further names are dropped.
	 */
	private int maxNames = 10_000;

	/**
	 * Maximum number of timer and histogram values waiting to be sent; further values are
	 * dropped.
	 */
	private int maxPendingValues = 100_000;

	/**
	 * Time a busy sender waits between two sends so that more metrics merge into one.
	 */
	private Duration linger = Duration.ofMillis(300);

	/**
	 * Maximum time a flush waits for delivery.
	 */
	private Duration flushTimeout = Duration.ofSeconds(5);

	/**
	 * Maximum time closing the client waits for the metrics still pending to be
	 * delivered.
	 */
	private Duration closeTimeout = Duration.ofSeconds(5);

	private final Retry retry = new Retry();

	private final Http http = new Http();

	private final Statsd statsd = new Statsd();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Protocol getProtocol() {
		return this.protocol;
	}

	public void setProtocol(Protocol protocol) {
		this.protocol = protocol;
	}

	public @Nullable String getDestHost() {
		return this.destHost;
	}

	public void setDestHost(@Nullable String destHost) {
		this.destHost = destHost;
	}

	public @Nullable Integer getDestPort() {
		return this.destPort;
	}

	public void setDestPort(@Nullable Integer destPort) {
		this.destPort = destPort;
	}

	public @Nullable String getSecret() {
		return this.secret;
	}

	public void setSecret(@Nullable String secret) {
		this.secret = secret;
	}

	public @Nullable String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(@Nullable String prefix) {
		this.prefix = prefix;
	}

	public int getMaxNames() {
		return this.maxNames;
	}

	public void setMaxNames(int maxNames) {
		this.maxNames = maxNames;
	}

	public int getMaxPendingValues() {
		return this.maxPendingValues;
	}

	public void setMaxPendingValues(int maxPendingValues) {
		this.maxPendingValues = maxPendingValues;
	}

	public Duration getLinger() {
		return this.linger;
	}

	public void setLinger(Duration linger) {
		this.linger = linger;
	}

	public Duration getFlushTimeout() {
		return this.flushTimeout;
	}

	public void setFlushTimeout(Duration flushTimeout) {
		this.flushTimeout = flushTimeout;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Http getHttp() {
		return this.http;
	}

	public Statsd getStatsd() {
		return this.statsd;
	}

	@Override
	public String toString() {
		// Never the secret: this string ends up in logs and failure reports.
		return "HeareStatsProperties[enabled=" + this.enabled + ", protocol=" + this.protocol + ", destHost="
				+ this.destHost + ", destPort=" + this.destPort + ", secret="
				+ ((this.secret != null) ? "****" : "(none)") + ", prefix=" + this.prefix + "]";
	}

	/**
	 * How failed sends are retried.
	 */
	public static class Retry {

		/**
		 * Delay before the first retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(100);

		/**
		 * Longest delay between two retries.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		/**
		 * Factor by which the delay grows after each failed attempt.
		 */
		private double multiplier = 2.0;

		/**
		 * Fraction of each delay that is randomized so that many clients do not retry in
		 * step.
		 */
		private double jitter = 0.2;

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * Settings of the http protocol, which the ws protocol shares.
	 */
	public static class Http {

		/**
		 * Scheme of the endpoint, http or https, instead of the one the port implies.
		 */
		private @Nullable String scheme;

		/**
		 * Connect timeout of the client's own HTTP and WebSocket transports, which a
		 * WebClient transport does not use.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * Timeout of one request, response included (over ws, of sending one frame).
		 */
		private Duration requestTimeout = Duration.ofSeconds(10);

		/**
		 * Maximum number of entries in one request body or frame. Unset, 50,000 over
		 * http, whose bodies max-batch-bytes bounds as well, and 5,000 over ws, whose
		 * frames WebSocket servers commonly take up to 64 KB.
		 */
		private @Nullable Integer maxBatchSize;

		/**
		 * Maximum size of one request body over http, in bytes (at least 1024); a larger
		 * batch is sent in parts, within the body limit of a proxy in front of the
		 * service.
		 */
		private int maxBatchBytes = 512 * 1024;

		private final Ssl ssl = new Ssl();

		public @Nullable String getScheme() {
			return this.scheme;
		}

		public void setScheme(@Nullable String scheme) {
			this.scheme = scheme;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public @Nullable Integer getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(@Nullable Integer maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public int getMaxBatchBytes() {
			return this.maxBatchBytes;
		}

		public void setMaxBatchBytes(int maxBatchBytes) {
			this.maxBatchBytes = maxBatchBytes;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		/**
		 * SSL settings of the WebClient transport.
		 */
		public static class Ssl {

			/**
			 * Name of the SSL bundle (spring.ssl.bundle.*) the WebClient transport uses
			 * for https. Needs spring-boot-webclient on the classpath and the http
			 * protocol; start-up fails otherwise, since the JDK transports would ignore
			 * it.
			 */
			private @Nullable String bundle;

			public @Nullable String getBundle() {
				return this.bundle;
			}

			public void setBundle(@Nullable String bundle) {
				this.bundle = bundle;
			}

		}

	}

	/**
	 * Settings of the StatsD line protocols, udp and tcp.
	 */
	public static class Statsd {

		/**
		 * Maximum payload size of one UDP datagram, in bytes.
		 */
		private int maxPacketSize = 1432;

		/**
		 * Maximum number of UDP datagrams sent per second, 0 for no limit. Set it when a
		 * StatsD daemon loses datagrams to bursts (they are lost in its kernel, where
		 * nothing counts them); values that cannot be sent in time are then kept within
		 * the caps and otherwise dropped and counted.
		 */
		private int maxPacketsPerSecond;

		/**
		 * StatsD daemon the lines are written for: heare (the heare relay: sampled
		 * counters as their scaled-up count, no sample rates, histograms as h), etsy
		 * (sampled timer values with their rate, histograms as ms) or datadog (sampled
		 * timer values with their rate, histograms as h).
		 */
		private StatsdFlavor flavor = StatsdFlavor.HEARE;

		/**
		 * StatsD type written for histogram values instead of the flavor's: h, ms or d
		 * (Datadog distributions).
		 */
		private @Nullable HistogramType histogramType;

		/**
		 * Interval between look-ups of the destination host's address over udp, so that a
		 * server that moved is found.
		 */
		private Duration hostRefreshInterval = Duration.ofSeconds(60);

		/**
		 * Connect timeout of the tcp protocol.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * Timeout of writing one batch over tcp.
		 */
		private Duration writeTimeout = Duration.ofSeconds(10);

		public int getMaxPacketSize() {
			return this.maxPacketSize;
		}

		public void setMaxPacketSize(int maxPacketSize) {
			this.maxPacketSize = maxPacketSize;
		}

		public int getMaxPacketsPerSecond() {
			return this.maxPacketsPerSecond;
		}

		public void setMaxPacketsPerSecond(int maxPacketsPerSecond) {
			this.maxPacketsPerSecond = maxPacketsPerSecond;
		}

		public StatsdFlavor getFlavor() {
			return this.flavor;
		}

		public void setFlavor(StatsdFlavor flavor) {
			this.flavor = flavor;
		}

		public @Nullable HistogramType getHistogramType() {
			return this.histogramType;
		}

		public void setHistogramType(@Nullable HistogramType histogramType) {
			this.histogramType = histogramType;
		}

		public Duration getHostRefreshInterval() {
			return this.hostRefreshInterval;
		}

		public void setHostRefreshInterval(Duration hostRefreshInterval) {
			this.hostRefreshInterval = hostRefreshInterval;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

	}

}
