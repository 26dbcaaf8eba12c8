package io.heare.stats.client;

/**
 * Sends metrics as StatsD lines in UDP datagrams, to the heare relay
 * ({@code heare-stats-server}, port 8125) or any StatsD daemon. Lines are packed into
 * datagrams of at most {@link StatsClientConfig#STATSD_MAX_PACKET_SIZE} bytes. UDP has no
 * delivery guarantee and no authentication, so there is no secret.
 * <p>
 * The constructors are the Python client's; {@link StatsClient#create(StatsClientConfig)}
 * with {@link Protocol#UDP} builds the same client with any other setting.
 *
 * <pre>{@code
 * StatsClient client = new UdpClient("localhost", 8125, "myapp");
 * client.incr("requests.total");
 * }</pre>
 */
public final class UdpClient extends AbstractStatsClient {

	UdpClient(StatsClientConfig config) {
		super(config, Transports.udp(config), Transports.destination(config));
	}

	/** A client for {@code host:port} without a prefix. */
	public UdpClient(String host, int port) {
		this(host, port, null);
	}

	/** A client for {@code host:port} prefixing every name. */
	public UdpClient(String host, int port, String prefix) {
		this(StatsClientConfig.builder().protocol(Protocol.UDP).destHost(host).destPort(port).prefix(prefix).build());
	}

}
