package io.heare.stats.bench;

import io.heare.stats.client.StatsClient;

/**
 * The one place where the benchmarks create our client. Everything else goes through
 * {@link Clients}, so wiring our client in is a change to this file only.
 * <p>
 * NOT WIRED YET: {@code UdpClient} and {@code HttpClient} are being written in
 * heare-stats-core. When they land, replace each body with the line in its comment.
 * Until then every method throws {@link UnsupportedOperationException}: the JMH
 * benchmarks of our client fail in their setup (the peers' still run) and
 * {@code DeliveryCheck} reports our client as "not wired".
 * <p>
 * No prefix is configured, so our client sends the same names as the peers
 * ({@code bench.metric.N}) and the sinks count them the same way.
 */
public final class HeareClients {

	private HeareClients() {
	}

	/** Whether {@link #udp} and {@link #http} return a client (false until wired). */
	public static boolean wired() {
		return false;
	}

	/** Our client over UDP (StatsD lines) to {@code host:port}. */
	public static StatsClient udp(String host, int port) {
		// return io.heare.stats.client.UdpClient.builder(host, port).build();
		throw notWired("UdpClient");
	}

	/** Our client over HTTP (JSON batches, POST /http) to {@code host:port}. */
	public static StatsClient http(String host, int port, String secret) {
		// return io.heare.stats.client.HttpClient.builder(host, port).secret(secret).build();
		throw notWired("HttpClient");
	}

	private static UnsupportedOperationException notWired(String type) {
		return new UnsupportedOperationException(
				"io.heare.stats.client." + type + " is not wired into the benchmarks yet: edit HeareClients.java");
	}

}
