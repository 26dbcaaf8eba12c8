package io.heare.stats.client;

/** Builds the client that {@link StatsClientSettings#createClient()} promises. */
final class ClientFactory {

	private ClientFactory() {
	}

	static StatsClient create(StatsClientSettings settings) {
		return switch (settings.getProtocol()) {
			case HTTP -> new HttpClient(settings.getDestHost(), settings.getDestPort(), settings.getSecret(),
					settings.getPrefix());
			case UDP, TCP, WS -> throw new InvalidSettingException("protocol",
					settings.getProtocol().name().toLowerCase(java.util.Locale.ROOT),
					"only http is available in this version");
		};
	}

}
