package io.heare.stats.client;

/** Builds the client that {@link StatsClientSettings#createClient()} promises. */
final class ClientFactory {

	private ClientFactory() {
	}

	static StatsClient create(StatsClientSettings settings) {
		String host = settings.getDestHost();
		int port = settings.getDestPort();
		return switch (settings.getProtocol()) {
			case HTTP -> new HttpClient(host, port, settings.getSecret(), settings.getPrefix());
			case TCP -> new TcpClient(host, port, settings.getSecret(), settings.getPrefix());
			case UDP -> new UdpClient(host, port, settings.getSecret(), settings.getPrefix());
			case WS -> new WsClient(host, port, settings.getSecret(), settings.getPrefix());
		};
	}

}
