package io.heare.stats.client;

/**
 * Sends metrics to a heare service over a WebSocket: a handshake to {@code /ws}
 * authenticated like HTTP, then one text frame per batch holding the same JSON as an HTTP
 * request body; {@code wss} when the port is 443. The connection opens on the first send
 * and reopens, with backoff, after it breaks.
 * <p>
 * The constructors are the Python client's; {@link StatsClient#create(StatsClientConfig)}
 * with {@link Protocol#WS} builds the same client with any other setting.
 *
 * <pre>{@code
 * StatsClient client = new WsClient("metrics.example.com", 443, "secret", "myapp");
 * client.gauge("memory.usage", 85.5);
 * }</pre>
 */
public final class WsClient extends AbstractStatsClient {

	WsClient(StatsClientConfig config) {
		super(config, Transports.ws(config), Transports.destination(config));
	}

	/**
	 * A client for {@code host:port} authenticating with {@code secret}, without a
	 * prefix.
	 */
	public WsClient(String host, int port, String secret) {
		this(host, port, secret, null);
	}

	/**
	 * A client for {@code host:port} authenticating with {@code secret}, prefixing every
	 * name.
	 */
	public WsClient(String host, int port, String secret, String prefix) {
		this(StatsClientConfig.builder()
			.protocol(Protocol.WS)
			.destHost(host)
			.destPort(port)
			.secret(secret)
			.prefix(prefix)
			.build());
	}

}
