package io.heare.stats.client;

import java.time.Duration;

import io.heare.stats.client.transport.HistogramType;
import io.heare.stats.client.transport.StatsdFlavor;
import io.heare.stats.client.transport.TcpTransport;

/**
 * Sends metrics as StatsD lines over one persistent TCP connection, to the heare relay
 * ({@code heare-stats-server}, port 8125) or any StatsD daemon that listens on TCP. A
 * broken connection is reopened and the batch retried with backoff, so a collector restart
 * loses nothing (see {@link TcpTransport} for the at-least-once trade-off). There is no
 * authentication: the secret is accepted, for the same constructors as every client, and
 * never sent.
 *
 * <pre>{@code
 * StatsClient client = new TcpClient("localhost", 8125, null, "myapp");
 * client.time("db.query.duration", 45.2);
 * }</pre>
 */
public final class TcpClient extends AbstractStatsClient {

	private TcpClient(Builder builder) {
		super(builder, builder.transport(), "tcp", "tcp://" + builder.host + ":" + builder.port);
	}

	/** A client for {@code host:port} without a prefix; {@code secret} is not sent. */
	public TcpClient(String host, int port, String secret) {
		this(builder(host, port).secret(secret).validated());
	}

	/** A client for {@code host:port} prefixing every name; {@code secret} is not sent. */
	public TcpClient(String host, int port, String secret, String prefix) {
		this(builder(host, port).secret(secret).prefix(prefix).validated());
	}

	/** A builder for every other setting. */
	public static Builder builder(String host, int port) {
		return new Builder(host, port);
	}

	/** Builds a {@link TcpClient}. */
	public static final class Builder extends StatsClientBuilder<Builder, TcpClient> {

		/** Default limit on establishing the connection. */
		public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

		/** Default limit on writing one batch. */
		public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;

		private StatsdFlavor flavor = StatsdFlavor.HEARE;

		private HistogramType histogramType;

		private Builder(String host, int port) {
			super(host, port);
		}

		/** Limit on establishing the connection. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/** Limit on writing one batch; a collector that stops reading counts as a broken connection. */
		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
			return this;
		}

		/**
		 * The StatsD daemon the lines are written for; {@link StatsdFlavor#HEARE the heare
		 * relay} by default.
		 */
		public Builder flavor(StatsdFlavor flavor) {
			this.flavor = flavor;
			return this;
		}

		/**
		 * Overrides the flavor's StatsD type for histogram lines (for example
		 * {@link HistogramType#D} for Datadog distributions); {@code null}, the default, for
		 * the flavor's own.
		 */
		public Builder histogramType(HistogramType histogramType) {
			this.histogramType = histogramType;
			return this;
		}

		@Override
		public TcpClient build() {
			return new TcpClient(validated());
		}

		Builder validated() {
			validate(false, "tcp");
			requireDuration("connect_timeout", this.connectTimeout, false);
			requireDuration("write_timeout", this.writeTimeout, false);
			if (this.flavor == null) {
				throw new InvalidSettingException("flavor", null, "heare, etsy or datadog");
			}
			return this;
		}

		TcpTransport transport() {
			return new TcpTransport(this.host, this.port, this.connectTimeout, this.writeTimeout, this.flavor,
					this.histogramType);
		}

	}

}
