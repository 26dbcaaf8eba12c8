package io.heare.stats.client;

final class ClientFactory {

	private ClientFactory() {
	}

	static StatsClient create(StatsClientSettings settings) {
		throw new UnsupportedOperationException("not yet wired");
	}

}
