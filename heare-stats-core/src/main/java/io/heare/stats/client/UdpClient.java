package io.heare.stats.client;

import java.time.Duration;

import io.heare.stats.client.transport.HistogramType;
import io.heare.stats.client.transport.UdpTransport;

/**
 * Sends metrics as StatsD lines in UDP datagrams, to the heare relay
 * ({@code heare-stats-server}, port 8125) or any StatsD daemon. Lines are packed into
 * datagrams of at most {@link Builder#maxPacketSize(int) maxPacketSize} bytes. UDP has no
 * delivery guarantee and no authentication: the secret is accepted, for the same
 * constructors as every client, and never sent.
 *
 * <pre>{@code
 * StatsClient client = new UdpClient("localhost", 8125, null, "myapp");
 * client.incr("requests.total");
 * }</pre>
 */
public final class UdpClient extends AbstractStatsClient {

	private UdpClient(Builder builder) {
		super(builder, builder.transport(),
				"UdpClient[udp://" + builder.host + ":" + builder.port + ", prefix=" + builder.prefix + "]");
	}

	/** A client for {@code host:port} without a prefix; {@code secret} is not sent. */
	public UdpClient(String host, int port, String secret) {
		this(builder(host, port).secret(secret).validated());
	}

	/** A client for {@code host:port} prefixing every name; {@code secret} is not sent. */
	public UdpClient(String host, int port, String secret, String prefix) {
		this(builder(host, port).secret(secret).prefix(prefix).validated());
	}

	/** A builder for every other setting. */
	public static Builder builder(String host, int port) {
		return new Builder(host, port);
	}

	/** Builds a {@link UdpClient}. */
	public static final class Builder extends StatsClientBuilder<Builder, UdpClient> {

		/** Default datagram payload limit: an Ethernet MTU less IP and UDP headers, as StatsD clients use on a LAN. */
		public static final int DEFAULT_MAX_PACKET_SIZE = 1432;

		/** Default interval between two resolutions of the host name. */
		public static final Duration DEFAULT_HOST_REFRESH_INTERVAL = Duration.ofSeconds(60);

		private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;

		private Duration hostRefreshInterval = DEFAULT_HOST_REFRESH_INTERVAL;

		private HistogramType histogramType = HistogramType.H;

		private Builder(String host, int port) {
			super(host, port);
		}

		/** The most payload bytes in one datagram; use 512 across the internet. */
		public Builder maxPacketSize(int maxPacketSize) {
			this.maxPacketSize = maxPacketSize;
			return this;
		}

		/** How often the host name is resolved again, so that a collector that moved is found. */
		public Builder hostRefreshInterval(Duration hostRefreshInterval) {
			this.hostRefreshInterval = hostRefreshInterval;
			return this;
		}

		/** The StatsD type of histogram lines; {@link HistogramType#H} by default. */
		public Builder histogramType(HistogramType histogramType) {
			this.histogramType = histogramType;
			return this;
		}

		@Override
		public UdpClient build() {
			return new UdpClient(validated());
		}

		Builder validated() {
			validate(false, "udp");
			if (this.maxPacketSize < 1 || this.maxPacketSize > UdpTransport.MAX_DATAGRAM) {
				throw new InvalidSettingException("max_packet_size", String.valueOf(this.maxPacketSize),
						"a size from 1 to " + UdpTransport.MAX_DATAGRAM + " bytes");
			}
			requireDuration("host_refresh_interval", this.hostRefreshInterval, true);
			if (this.histogramType == null) {
				throw new InvalidSettingException("histogram_type", null, "h, ms or d");
			}
			return this;
		}

		UdpTransport transport() {
			return new UdpTransport(this.host, this.port, this.maxPacketSize, this.hostRefreshInterval,
					this.histogramType);
		}

	}

}
