package io.heare.stats.client;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.heare.stats.client.transport.HttpTransport;
import io.heare.stats.client.transport.JdkHttpSender;
import io.heare.stats.client.transport.TcpTransport;
import io.heare.stats.client.transport.Transport;
import io.heare.stats.client.transport.UdpTransport;
import io.heare.stats.client.transport.WsTransport;

/** Creates each protocol's {@link Transport} from a {@link StatsClientConfig}. */
final class Transports {

	private static final Logger logger = LoggerFactory.getLogger(Transports.class);

	private Transports() {
	}

	static HttpTransport http(StatsClientConfig config) {
		URI uri = endpoint(config, "http", "/http");
		warnIfSecretInClearText(uri, config.destHost());
		HttpSender sender = (config.httpSender() != null) ? config.httpSender()
				: new JdkHttpSender(config.get(StatsClientConfig.HTTP_CONNECT_TIMEOUT), config.executor());
		return new HttpTransport(uri, config.secret(), sender, config.get(StatsClientConfig.HTTP_REQUEST_TIMEOUT),
				config.get(StatsClientConfig.HTTP_MAX_BATCH_SIZE), config.get(StatsClientConfig.HTTP_MAX_BATCH_BYTES));
	}

	static WsTransport ws(StatsClientConfig config) {
		URI uri = endpoint(config, "ws", "/ws");
		warnIfSecretInClearText(uri, config.destHost());
		return new WsTransport(uri, config.secret(), config.get(StatsClientConfig.HTTP_CONNECT_TIMEOUT),
				config.get(StatsClientConfig.HTTP_REQUEST_TIMEOUT), config.get(StatsClientConfig.HTTP_MAX_BATCH_SIZE),
				config.executor());
	}

	static UdpTransport udp(StatsClientConfig config) {
		return new UdpTransport(config.destHost(), config.destPort(),
				config.get(StatsClientConfig.STATSD_MAX_PACKET_SIZE),
				config.get(StatsClientConfig.STATSD_HOST_REFRESH_INTERVAL),
				config.get(StatsClientConfig.STATSD_FLAVOR), config.get(StatsClientConfig.STATSD_HISTOGRAM_TYPE),
				config.get(StatsClientConfig.STATSD_MAX_PACKETS_PER_SECOND));
	}

	static TcpTransport tcp(StatsClientConfig config) {
		return new TcpTransport(config.destHost(), config.destPort(),
				config.get(StatsClientConfig.STATSD_CONNECT_TIMEOUT),
				config.get(StatsClientConfig.STATSD_WRITE_TIMEOUT), config.get(StatsClientConfig.STATSD_FLAVOR),
				config.get(StatsClientConfig.STATSD_HISTOGRAM_TYPE));
	}

	static String destination(StatsClientConfig config) {
		return switch (config.protocol()) {
			case HTTP -> endpoint(config, "http", "/http").toString();
			case WS -> endpoint(config, "ws", "/ws").toString();
			case UDP, TCP -> StatsClientConfig.lowerCase(config.protocol()) + "://" + config.destHost() + ":"
					+ config.destPort();
		};
	}

	/**
	 * The endpoint: secure exactly on port 443 unless {@code http.scheme} says otherwise,
	 * where {@code https} and {@code wss} both mean secure.
	 */
	static URI endpoint(StatsClientConfig config, String plain, String path) {
		String scheme = config.get(StatsClientConfig.HTTP_SCHEME);
		boolean secure = (scheme != null) ? (scheme.equals("https") || scheme.equals("wss"))
				: config.destPort() == 443;
		return HttpTransport.endpoint(secure ? plain + "s" : plain, config.destHost(), config.destPort(), path);
	}

	/**
	 * Warns once, at start-up, when the secret is about to travel unencrypted to a host
	 * other than this machine.
	 */
	private static void warnIfSecretInClearText(URI uri, String host) {
		String scheme = uri.getScheme();
		if (("http".equals(scheme) || "ws".equals(scheme)) && !AbstractStatsClient.isLoopback(host)) {
			logger.warn("heare stats sends its secret over unencrypted {} to {}: anyone on the way can read it; "
					+ "use https (port 443 or the http.scheme setting) for a service beyond this host", scheme, host);
		}
	}

}
