package io.heare.stats.client;

import java.net.URI;
import java.time.Duration;

/**
 * Creates each protocol's {@link Transport} from a {@link StatsClientConfig}, so that the
 * transports themselves stay out of sight of the client package. Not for application
 * code.
 */
final class Transports {

	/** Most entries in one http request body when the setting is unset. */
	static final int HTTP_MAX_BATCH_SIZE = 50_000;

	/** Most entries in one ws frame when the setting is unset. */
	static final int WS_MAX_BATCH_SIZE = 5_000;

	private Transports() {
	}

	/** The http protocol's transport. */
	public static Transport http(StatsClientConfig config) {
		URI uri = endpoint(config, "http", "/http");
		HttpSender sender = (config.httpSender() != null) ? config.httpSender() : defaultSender(uri, config);
		return new HttpTransport(uri, config.secret(), sender, config.get(StatsClientConfig.HTTP_REQUEST_TIMEOUT),
				maxBatchSize(config, HTTP_MAX_BATCH_SIZE), config.get(StatsClientConfig.HTTP_MAX_BATCH_BYTES));
	}

	// Plain http on a socket of its own; https, with its TLS and HTTP/2, on the JDK's
	// client.
	private static HttpSender defaultSender(URI uri, StatsClientConfig config) {
		Duration connectTimeout = config.get(StatsClientConfig.HTTP_CONNECT_TIMEOUT);
		return "http".equals(uri.getScheme()) ? new SocketHttpSender(connectTimeout)
				: new JdkHttpSender(connectTimeout, config.executor());
	}

	/** The ws protocol's transport. */
	public static Transport ws(StatsClientConfig config) {
		URI uri = endpoint(config, "ws", "/ws");
		return new WsTransport(uri, config.secret(), config.get(StatsClientConfig.HTTP_CONNECT_TIMEOUT),
				config.get(StatsClientConfig.HTTP_REQUEST_TIMEOUT), maxBatchSize(config, WS_MAX_BATCH_SIZE),
				config.executor());
	}

	private static int maxBatchSize(StatsClientConfig config, int unset) {
		Integer configured = config.get(StatsClientConfig.HTTP_MAX_BATCH_SIZE);
		return (configured != null) ? configured : unset;
	}

	/** The udp protocol's transport. */
	public static Transport udp(StatsClientConfig config) {
		return new UdpTransport(config.destHost(), config.destPort(),
				config.get(StatsClientConfig.STATSD_MAX_PACKET_SIZE),
				config.get(StatsClientConfig.STATSD_HOST_REFRESH_INTERVAL), config.get(StatsClientConfig.STATSD_FLAVOR),
				config.get(StatsClientConfig.STATSD_HISTOGRAM_TYPE),
				config.get(StatsClientConfig.STATSD_MAX_PACKETS_PER_SECOND));
	}

	/** The tcp protocol's transport. */
	public static Transport tcp(StatsClientConfig config) {
		return new TcpTransport(config.destHost(), config.destPort(),
				config.get(StatsClientConfig.STATSD_CONNECT_TIMEOUT),
				config.get(StatsClientConfig.STATSD_WRITE_TIMEOUT), config.get(StatsClientConfig.STATSD_FLAVOR),
				config.get(StatsClientConfig.STATSD_HISTOGRAM_TYPE));
	}

	/**
	 * Where the client's metrics go, as its start-up line and {@code toString} show it.
	 */
	public static String destination(StatsClientConfig config) {
		return switch (config.protocol()) {
			case HTTP -> endpoint(config, "http", "/http").toString();
			case WS -> endpoint(config, "ws", "/ws").toString();
			case UDP, TCP -> config.protocol().name().toLowerCase(java.util.Locale.ROOT) + "://" + config.destHost()
					+ ":" + config.destPort();
		};
	}

	/**
	 * The endpoint: secure exactly on port 443 unless {@code http.scheme} says otherwise,
	 * where {@code https} and {@code wss} both mean secure.
	 */
	private static URI endpoint(StatsClientConfig config, String plain, String path) {
		String scheme = config.get(StatsClientConfig.HTTP_SCHEME);
		boolean secure = (scheme != null) ? (scheme.equals("https") || scheme.equals("wss")) : config.destPort() == 443;
		return HttpTransport.endpoint(secure ? plain + "s" : plain, config.destHost(), config.destPort(), path);
	}

}
