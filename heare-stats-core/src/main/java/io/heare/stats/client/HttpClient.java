package io.heare.stats.client;

/**
 * Sends metrics to a heare service over HTTP (the recommended protocol): one
 * {@code POST /http} per batch with a JSON body and Basic authentication, {@code https}
 * when the port is 443. Requests go out from a background thread; recording never waits.
 * <p>
 * The constructors are the Python client's; {@link StatsClient#create(StatsClientConfig)}
 * with {@link Protocol#HTTP} builds the same client with any other setting.
 *
 * <pre>{@code
 * StatsClient client = new HttpClient("metrics.example.com", 443, "secret", "myapp");
 * try (Pipeline pipe = client.pipeline()) {
 *     pipe.incr("requests.total");
 *     pipe.time("db.query.duration", 45.2);
 * }
 * }</pre>
 */
public final class HttpClient extends AbstractStatsClient {

	HttpClient(StatsClientConfig config) {
		super(config, Transports.http(config), Transports.destination(config));
	}

	/**
	 * A client for {@code host:port} authenticating with {@code secret}, without a
	 * prefix.
	 */
	public HttpClient(String host, int port, String secret) {
		this(host, port, secret, null);
	}

	/**
	 * A client for {@code host:port} authenticating with {@code secret}, prefixing every
	 * name.
	 */
	public HttpClient(String host, int port, String secret, String prefix) {
		this(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost(host)
			.destPort(port)
			.secret(secret)
			.prefix(prefix)
			.build());
	}

}
