package io.heare.stats.collector;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@link ConfigurationProperties @ConfigurationProperties} for the collector.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@ConfigurationProperties("collector")
public class CollectorProperties {

	/**
	 * Secret that HTTP and WebSocket clients send as the Basic user name.
	 */
	private String secret = "dev-secret";

	/**
	 * Port of the StatsD UDP and TCP listeners; 0 picks a free port.
	 */
	private int statsdPort = 8125;

	/**
	 * Address the StatsD listeners and, unless server.address is set, the web server bind
	 * to.
	 */
	private String bindAddress = "127.0.0.1";

	/**
	 * Number of most recent values kept per timer or histogram for percentiles.
	 */
	private int reservoirSize = 10_000;

	/**
	 * Number of distinct metric names (counters, gauges, timers and histograms together)
	 * held at most; updates of further names are dropped and counted.
	 */
	private int maxNames = 2_000;

	/**
	 * Number of characters a metric name has at most; updates of longer names are dropped
	 * and counted. The Java client cuts names to 200 characters.
	 */
	private int maxNameLength = 256;

	/**
	 * Number of StatsD TCP connections served at once; further connections are closed at
	 * once and counted.
	 */
	private int maxTcpConnections = 64;

	/**
	 * Time a StatsD TCP connection may stay silent before the collector closes it and
	 * frees its place.
	 */
	private Duration tcpIdleTimeout = Duration.ofMinutes(5);

	private final History history = new History();

	private final Forward forward = new Forward();

	public String getSecret() {
		return this.secret;
	}

	public void setSecret(String secret) {
		this.secret = secret;
	}

	public int getStatsdPort() {
		return this.statsdPort;
	}

	public void setStatsdPort(int statsdPort) {
		this.statsdPort = statsdPort;
	}

	public String getBindAddress() {
		return this.bindAddress;
	}

	public void setBindAddress(String bindAddress) {
		this.bindAddress = bindAddress;
	}

	public int getReservoirSize() {
		return this.reservoirSize;
	}

	public void setReservoirSize(int reservoirSize) {
		this.reservoirSize = reservoirSize;
	}

	public int getMaxNames() {
		return this.maxNames;
	}

	public void setMaxNames(int maxNames) {
		this.maxNames = maxNames;
	}

	public int getMaxNameLength() {
		return this.maxNameLength;
	}

	public void setMaxNameLength(int maxNameLength) {
		this.maxNameLength = maxNameLength;
	}

	public int getMaxTcpConnections() {
		return this.maxTcpConnections;
	}

	public void setMaxTcpConnections(int maxTcpConnections) {
		this.maxTcpConnections = maxTcpConnections;
	}

	public Duration getTcpIdleTimeout() {
		return this.tcpIdleTimeout;
	}

	public void setTcpIdleTimeout(Duration tcpIdleTimeout) {
		this.tcpIdleTimeout = tcpIdleTimeout;
	}

	public History getHistory() {
		return this.history;
	}

	public Forward getForward() {
		return this.forward;
	}

	/**
	 * Time series for the dashboard: one point per metric every interval.
	 */
	public static class History {

		/**
		 * Time between two points of every metric's history.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * How far back the history reaches; older points are dropped.
		 */
		private Duration length = Duration.ofMinutes(15);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getLength() {
			return this.length;
		}

		public void setLength(Duration length) {
			this.length = length;
		}

	}

	/**
	 * Relay settings: where aggregates are forwarded, if anywhere.
	 */
	public static class Forward {

		/**
		 * Host of the heare service to forward to; forwarding is off when unset.
		 */
		private @Nullable String host;

		/**
		 * Port of the heare service to forward to.
		 */
		private @Nullable Integer port;

		/**
		 * Secret of the heare service to forward to.
		 */
		private @Nullable String secret;

		/**
		 * URL scheme; when unset, https on port 443 and http otherwise.
		 */
		private @Nullable String scheme;

		/**
		 * Time between two flushes to the heare service.
		 */
		private Duration interval = Duration.ofSeconds(10);

		/**
		 * Connect and request timeout of one flush.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * Timer and histogram values buffered at most between two flushes; further values
		 * are dropped and counted.
		 */
		private int maxBufferedValues = 1_000_000;

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public @Nullable String getScheme() {
			return this.scheme;
		}

		public void setScheme(@Nullable String scheme) {
			this.scheme = scheme;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public int getMaxBufferedValues() {
			return this.maxBufferedValues;
		}

		public void setMaxBufferedValues(int maxBufferedValues) {
			this.maxBufferedValues = maxBufferedValues;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
