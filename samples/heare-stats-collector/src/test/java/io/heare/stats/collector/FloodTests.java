package io.heare.stats.collector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Floods every ingest path of a collector running with a 64 MB heap with distinct timer
 * names: 40,000 on each of HTTP, WebSocket and TCP and up to 40,000 over UDP. Held
 * without a cap, that many names need well over 64 MB (about 1 KB each with their
 * reservoir and time series), and the collector exits at the first
 * {@link OutOfMemoryError}. With the default cap it keeps 2,000 names, counts the rest as
 * dropped and keeps answering on every path. Long names are refused whatever their
 * number: 1,000 distinct names of 40,000 characters on each path would take 80 MB as the
 * first 2,000 names.
 */
class FloodTests {

	private static final int NAMES_PER_PATH = 40_000;

	private static final int NAMES_PER_MESSAGE = 1_000;

	private static final int LONG_NAMES_PER_PATH = 1_000;

	private static final int LONG_NAMES_PER_MESSAGE = 5;

	/**
	 * Under the JSON reader's 50,000-character limit on member names and the StatsD line
	 * limits.
	 */
	private static final int LONG_NAME_LENGTH = 40_000;

	private ForkedCollector collector;

	private CollectorClient client;

	@BeforeEach
	void start() throws Exception {
		this.collector = new ForkedCollector(List.of("-Xmx64m"), "--collector.max-tcp-connections=16");
		this.client = new CollectorClient(this.collector.httpPort());
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (!this.collector.isAlive()) {
			// Kept in the test's output file, to tell an OutOfMemoryError from another
			// end.
			System.out.println("The forked collector exited; its output:\n" + this.collector.output());
		}
		this.collector.close();
	}

	@Test
	void distinctNamesOnEveryPathAreCappedAndTheCollectorKeepsAnswering() throws Exception {
		// One name per path before the flood, to prove afterwards that each path still
		// records.
		assertThat(this.client.postHttp("{\"counters\": {\"alive.http\": 1, \"alive.ws\": 0}}").statusCode())
			.isEqualTo(200);
		sendUdp("alive.udp:1|c");
		sendTcp("alive.tcp:1|c\n");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.metrics().at("/counters").size() == 4);

		for (int i = 0; i < NAMES_PER_PATH / NAMES_PER_MESSAGE; i++) {
			assertThat(this.client.postHttp(batch("http", i)).statusCode()).isEqualTo(200);
		}
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.header("Authorization", CollectorClient.basic("dev-secret", ""))
			.buildAsync(URI.create("ws://127.0.0.1:" + this.collector.httpPort() + "/ws"), new WebSocket.Listener() {
			})
			.get(10, TimeUnit.SECONDS);
		for (int i = 0; i < NAMES_PER_PATH / NAMES_PER_MESSAGE; i++) {
			socket.sendText(batch("ws", i), true).get(10, TimeUnit.SECONDS);
		}
		StringBuilder tcp = new StringBuilder();
		for (int n = 0; n < NAMES_PER_PATH; n++) {
			tcp.append("flood.tcp.").append(n).append(".request.duration:1|ms\n");
		}
		sendTcp(tcp.toString());
		for (int n = 0; n < NAMES_PER_PATH; n += 50) {
			StringBuilder datagram = new StringBuilder();
			for (int k = n; k < n + 50; k++) {
				datagram.append("flood.udp.").append(k).append(".request.duration:1|ms\n");
			}
			sendUdp(datagram.toString());
		}

		long reliable = 3L * NAMES_PER_PATH;
		JsonNode flooded = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(this.client::metrics, (metrics) -> metrics.at("/totals/wsFramesAccepted").asLong() == 40
					&& metrics.at("/totals/droppedOverNameLimit").asLong() >= reliable - 2_000);
		assertThat(this.collector.isAlive()).as("collector alive; output:\n%s", this.collector.output()).isTrue();
		assertThat(flooded.at("/names/max").asLong()).isEqualTo(2_000);
		assertThat(flooded.at("/names/held").asLong()).isBetween(2_000L, 2_010L);

		// Every path still records into the names it already holds.
		assertThat(this.client.postHttp("{\"counters\": {\"alive.http\": 1}}").statusCode()).isEqualTo(200);
		socket.sendText("{\"counters\": {\"alive.ws\": 1}}", true).get(10, TimeUnit.SECONDS);
		sendTcp("alive.tcp:1|c\n");
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			sendUdp("alive.udp:1|c");
			JsonNode metrics = this.client.metrics();
			assertThat(metrics.at("/counters/alive.http").asLong()).isEqualTo(2);
			assertThat(metrics.at("/counters/alive.ws").asLong()).isEqualTo(1);
			assertThat(metrics.at("/counters/alive.tcp").asLong()).isEqualTo(2);
			assertThat(metrics.at("/counters/alive.udp").asLong()).isGreaterThanOrEqualTo(2);
		});
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
		assertThat(this.client.get("/api/history").statusCode()).isEqualTo(200);
		assertThat(this.collector.isAlive()).as("collector alive; output:\n%s", this.collector.output()).isTrue();
	}

	@Test
	void longDistinctNamesOnEveryPathAreRefusedAndCountedAndTheCollectorKeepsAnswering() throws Exception {
		// HTTP/1.1 from the first request: a body this large cannot ride an h2c upgrade
		// request.
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		for (int i = 0; i < LONG_NAMES_PER_PATH / LONG_NAMES_PER_MESSAGE; i++) {
			HttpResponse<String> response = http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.collector.httpPort() + "/http"))
					.timeout(Duration.ofSeconds(30))
					.header("Content-Type", "application/json")
					.header("Authorization", CollectorClient.basic("dev-secret", ""))
					.POST(HttpRequest.BodyPublishers.ofString(longNameBatch("http", i)))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		}
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.header("Authorization", CollectorClient.basic("dev-secret", ""))
			.buildAsync(URI.create("ws://127.0.0.1:" + this.collector.httpPort() + "/ws"), new WebSocket.Listener() {
			})
			.get(10, TimeUnit.SECONDS);
		for (int i = 0; i < LONG_NAMES_PER_PATH / LONG_NAMES_PER_MESSAGE; i++) {
			socket.sendText(longNameBatch("ws", i), true).get(10, TimeUnit.SECONDS);
		}
		try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), this.collector.tcpPort())) {
			OutputStream out = tcp.getOutputStream();
			for (int n = 0; n < LONG_NAMES_PER_PATH; n++) {
				out.write((longName("tcp", n) + ":1|ms\n").getBytes(StandardCharsets.US_ASCII));
			}
			tcp.shutdownOutput();
			tcp.setSoTimeout(60_000);
			assertThat(tcp.getInputStream().read()).as("closed by the collector").isEqualTo(-1);
		}
		int messages = LONG_NAMES_PER_PATH / LONG_NAMES_PER_MESSAGE;
		long reliable = 2L * messages * LONG_NAMES_PER_MESSAGE + LONG_NAMES_PER_PATH;
		for (int n = 0; n < LONG_NAMES_PER_PATH; n++) {
			sendUdp(longName("udp", n) + ":1|ms");
		}
		// UDP may lose datagrams under a flood: one more after the others proves the path
		// counts.
		JsonNode flooded = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
			sendUdp(longName("udp", LONG_NAMES_PER_PATH) + ":1|c");
			return this.client.metrics();
		}, (metrics) -> metrics.at("/totals/wsFramesAccepted").asLong() == messages
				&& metrics.at("/totals/droppedLongNames").asLong() > reliable);
		assertThat(this.collector.isAlive()).as("collector alive; output:\n%s", this.collector.output()).isTrue();
		assertThat(flooded.at("/names/held").asLong()).isZero();
		assertThat(flooded.at("/totals/droppedOverNameLimit").asLong()).isZero();

		// Every path still records names of an allowed length.
		String longest = "n".repeat(256);
		assertThat(this.client.postHttp("{\"counters\": {\"http." + longest.substring(5) + "\": 1}}").statusCode())
			.isEqualTo(200);
		socket.sendText("{\"gauges\": {\"ws." + longest.substring(3) + "\": 1}}", true).get(10, TimeUnit.SECONDS);
		sendTcp("tcp." + longest.substring(4) + ":1|ms\n");
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			sendUdp("udp." + longest.substring(4) + ":1|h");
			JsonNode metrics = this.client.metrics();
			assertThat(metrics.at("/names/held").asLong()).isEqualTo(4);
		});
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
		assertThat(this.client.get("/api/history").statusCode()).isEqualTo(200);
		assertThat(this.collector.isAlive()).as("collector alive; output:\n%s", this.collector.output()).isTrue();
	}

	@Test
	void tcpConnectionsBeyondTheMaximumAreClosedAndCounted() throws Exception {
		List<Socket> held = new ArrayList<>();
		try {
			for (int i = 0; i < 16; i++) {
				Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.collector.tcpPort());
				socket.getOutputStream().write(("held." + i + ":1|c\n").getBytes(StandardCharsets.US_ASCII));
				held.add(socket);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.metrics().at("/counters").size() == 16);
			for (int i = 0; i < 20; i++) {
				try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), this.collector.tcpPort())) {
					extra.setSoTimeout(10_000);
					assertThat(extra.getInputStream().read()).as("closed by the collector").isEqualTo(-1);
				}
			}
			assertThat(this.client.metrics().at("/totals/statsdTcpConnectionsRefused").asLong()).isEqualTo(20);
		}
		finally {
			for (Socket socket : held) {
				socket.close();
			}
		}
		// Closing connections frees their places.
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			sendTcp("after.close:1|c\n");
			assertThat(this.client.metrics().at("/counters/after.close").asLong()).isPositive();
		});
	}

	private static String batch(String path, int message) {
		StringBuilder json = new StringBuilder("{\"timers\": {");
		for (int k = 0; k < NAMES_PER_MESSAGE; k++) {
			int n = message * NAMES_PER_MESSAGE + k;
			json.append(k > 0 ? ", " : "")
				.append("\"flood.")
				.append(path)
				.append('.')
				.append(n)
				.append(".request.duration\": [1]");
		}
		return json.append("}}").toString();
	}

	private static String longNameBatch(String path, int message) {
		StringBuilder json = new StringBuilder("{\"timers\": {");
		for (int k = 0; k < LONG_NAMES_PER_MESSAGE; k++) {
			json.append(k > 0 ? ", " : "")
				.append('"')
				.append(longName(path, message * LONG_NAMES_PER_MESSAGE + k))
				.append("\": [1]");
		}
		return json.append("}}").toString();
	}

	private static String longName(String path, int n) {
		String prefix = "long." + path + "." + n + ".";
		return prefix + "x".repeat(LONG_NAME_LENGTH - prefix.length());
	}

	private void sendUdp(String payload) throws IOException {
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		try (DatagramSocket socket = new DatagramSocket()) {
			socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(),
					this.collector.udpPort()));
		}
	}

	private void sendTcp(String lines) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.collector.tcpPort())) {
			OutputStream out = socket.getOutputStream();
			out.write(lines.getBytes(StandardCharsets.UTF_8));
			out.flush();
			socket.shutdownOutput();
			// Wait for the collector to close its side: it has then read every line.
			socket.setSoTimeout(30_000);
			InputStream in = socket.getInputStream();
			while (in.read() != -1) {
				// nothing is ever sent back
			}
		}
	}

}
