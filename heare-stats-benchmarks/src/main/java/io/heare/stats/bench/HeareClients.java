package io.heare.stats.bench;

import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;

/**
 * The one place where the benchmarks create our client. Everything else goes through
 * {@link Clients}, so wiring our client in is a change to this file only.
 * <p>
 * No prefix is configured, so our client sends the same names as the peers
 * ({@code bench.metric.N}) and the sinks count them the same way.
 */
public final class HeareClients {

	private HeareClients() {
	}

	/** Whether {@link #udp} and {@link #http} return a client. */
	public static boolean wired() {
		return true;
	}

	/** Our client over UDP (StatsD lines) to {@code host:port}. */
	public static StatsClient udp(String host, int port) {
		return StatsClient
			.create(StatsClientConfig.builder().protocol(Protocol.UDP).destHost(host).destPort(port).build());
	}

	/** Our client over HTTP (JSON batches, POST /http) to {@code host:port}. */
	public static StatsClient http(String host, int port, String secret) {
		return StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost(host)
			.destPort(port)
			.secret(secret)
			.build());
	}

}
