package io.heare.stats.client;

/**
 * Sends metrics as StatsD lines over one persistent TCP connection, to the heare relay
 * ({@code heare-stats-server}, port 8125) or any StatsD daemon that listens on TCP. A
 * broken connection is reopened and the batch retried with backoff, so a collector
 * restart loses nothing (a batch the collector read just before the connection broke may
 * arrive twice). There is no authentication, so there is no secret.
 * <p>
 * The constructors are the Python client's; {@link StatsClient#create(StatsClientConfig)}
 * with {@link Protocol#TCP} builds the same client with any other setting.
 *
 * <pre>{@code
 * StatsClient client = new TcpClient("localhost", 8125, "myapp");
 * client.time("db.query.duration", 45.2);
 * }</pre>
 */
public final class TcpClient extends AbstractStatsClient {

	TcpClient(StatsClientConfig config) {
		super(config, Transports.tcp(config), Transports.destination(config));
	}

	/** A client for {@code host:port} without a prefix. */
	public TcpClient(String host, int port) {
		this(host, port, null);
	}

	/** A client for {@code host:port} prefixing every name. */
	public TcpClient(String host, int port, String prefix) {
		this(StatsClientConfig.builder().protocol(Protocol.TCP).destHost(host).destPort(port).prefix(prefix).build());
	}

}
