package io.heare.stats.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that closing a client releases what it holds: the collector sees its connection
 * end once what was recorded has arrived.
 */
@Timeout(30)
class ClientLifecycleTests {

	@Test
	void closeDeliversWhatWasRecordedAndThenClosesTheConnection() throws Exception {
		try (ServerSocket server = new ServerSocket()) {
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			List<String> lines = new CopyOnWriteArrayList<>();
			// Completes when the client's side of the connection ends: read() returns -1.
			CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> readUntilEnd(server, lines));
			StatsClient client = TestClients.on(server.getLocalPort()).tcp();
			client.incr("before.close", 3);
			client.time("before.close.timer", 7);
			client.close();
			ended.get(10, TimeUnit.SECONDS);
			assertThat(lines).containsExactlyInAnyOrder("before.close:3|c", "before.close.timer:7|ms");
			assertThat(client.telemetry().delivered()).isEqualTo(2);
			assertThat(client.telemetry().pending()).isZero();
		}
	}

	private static void readUntilEnd(ServerSocket server, List<String> lines) {
		try {
			server.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
			try (Socket socket = server.accept()) {
				socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
				BufferedReader reader = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
				String line;
				while ((line = reader.readLine()) != null) {
					lines.add(line);
				}
			}
		}
		catch (IOException ex) {
			// A read that times out: the connection was never closed.
			throw new IllegalStateException("the connection did not end", ex);
		}
	}

}
