package io.heare.stats.collector;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the StatsD UDP and TCP listeners.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "collector.statsd-port=0")
class StatsdIngestTests {

	@LocalServerPort
	int port;

	@Autowired
	StatsdServers statsd;

	CollectorClient client;

	@BeforeEach
	void reset() {
		this.client = new CollectorClient(this.port);
		this.client.reset();
	}

	@Test
	void portZeroBindsRealPorts() {
		assertThat(this.statsd.udpPort()).isPositive();
		assertThat(this.statsd.tcpPort()).isPositive();
	}

	@Test
	void udpDatagramMayCarrySeveralLines() throws IOException {
		sendUdp("api.requests:6|c\nqueue.size:-3|c\nmemory:85.5|g\ndb.query:45.2|ms\ndb.query:12|ms\n"
				+ "payload:2048|h\npayload:512|d\nusers:alice|s\nnot a line\n");
		JsonNode metrics = awaitTotal("statsdLines", 8);
		assertThat(metrics.at("/counters/api.requests").asLong()).isEqualTo(6);
		assertThat(metrics.at("/counters/queue.size").asLong()).isEqualTo(-3);
		assertThat(metrics.at("/gauges/memory").asDouble()).isEqualTo(85.5);
		assertThat(metrics.at("/timers/db.query/count").asLong()).isEqualTo(2);
		assertThat(metrics.at("/timers/db.query/sum").asDouble()).isEqualTo(57.2);
		assertThat(metrics.at("/histograms/payload/count").asLong()).isEqualTo(2);
		assertThat(metrics.at("/histograms/payload/max").asLong()).isEqualTo(2048);
		assertThat(metrics.at("/totals/statsdSetsSkipped").asLong()).isEqualTo(1);
		assertThat(metrics.at("/totals/statsdBadLines").asLong()).isEqualTo(1);
		assertThat(metrics.has("sets")).isFalse();
	}

	@Test
	void counterIsDividedBySampleRate() throws IOException {
		sendUdp("sampled:1|c|@0.1\nsampled:2|c|@0.5");
		JsonNode metrics = awaitTotal("statsdLines", 2);
		assertThat(metrics.at("/counters/sampled").asDouble()).isEqualTo(14.0);
	}

	@Test
	void negativeGaugeIsWrittenAsZeroThenDelta() throws IOException {
		sendUdp("temperature:0|g\ntemperature:-5|g");
		assertThat(awaitTotal("statsdLines", 2).at("/gauges/temperature").asString()).isEqualTo("-5");
		sendUdp("temperature:+2|g\nfresh:-1|g");
		JsonNode metrics = awaitTotal("statsdLines", 4);
		assertThat(metrics.at("/gauges/temperature").asString()).isEqualTo("-3");
		assertThat(metrics.at("/gauges/fresh").asString()).isEqualTo("-1");
	}

	@Test
	void tcpCarriesManyLinesOnManyConnections() throws Exception {
		int connections = 8;
		int linesPerConnection = 500;
		List<CompletableFuture<Void>> senders = new ArrayList<>();
		for (int c = 0; c < connections; c++) {
			int id = c;
			senders.add(CompletableFuture.runAsync(() -> {
				try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.statsd.tcpPort())) {
					OutputStream out = socket.getOutputStream();
					StringBuilder lines = new StringBuilder();
					for (int i = 0; i < linesPerConnection; i++) {
						lines.append("tcp.hits:1|c\n");
						lines.append("tcp.latency:").append(i % 100).append("|ms\n");
					}
					lines.append("tcp.last.").append(id).append(":").append(id).append("|g\n");
					lines.append("bad line\n");
					out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
					out.flush();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}));
		}
		CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get();
		int expectedLines = connections * (2 * linesPerConnection + 1);
		JsonNode metrics = awaitTotal("statsdLines", expectedLines);
		assertThat(metrics.at("/counters/tcp.hits").asLong()).isEqualTo(connections * linesPerConnection);
		assertThat(metrics.at("/timers/tcp.latency/count").asLong()).isEqualTo(connections * linesPerConnection);
		assertThat(metrics.at("/timers/tcp.latency/p50").asLong()).isEqualTo(49);
		assertThat(metrics.at("/gauges/tcp.last.7").asLong()).isEqualTo(7);
		assertThat(metrics.at("/totals/statsdBadLines").asLong()).isEqualTo(connections);
	}

	@Test
	void oneConnectionCanSendInSeveralWritesSplittingLines() throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.statsd.tcpPort())) {
			OutputStream out = socket.getOutputStream();
			out.write("split.co".getBytes(StandardCharsets.UTF_8));
			out.flush();
			Thread.sleep(50);
			out.write("unter:5|c\nsplit.counter:1|c\n".getBytes(StandardCharsets.UTF_8));
			out.flush();
		}
		assertThat(awaitTotal("statsdLines", 2).at("/counters/split.counter").asLong()).isEqualTo(6);
	}

	@Test
	void overlongTcpLineIsCountedAsBadAndTheConnectionGoesOn() throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.statsd.tcpPort())) {
			OutputStream out = socket.getOutputStream();
			out.write(("huge:" + "1".repeat(StatsdTcpServer.MAX_LINE * 3) + "|c\n").getBytes(StandardCharsets.UTF_8));
			out.write("after.huge:1|c\nunterminated:2|c".getBytes(StandardCharsets.UTF_8));
			out.flush();
		}
		JsonNode metrics = awaitTotal("statsdLines", 2);
		assertThat(metrics.at("/counters/after.huge").asLong()).isEqualTo(1);
		assertThat(metrics.at("/counters/unterminated").asLong()).isEqualTo(2);
		assertThat(metrics.at("/counters").has("huge")).isFalse();
		assertThat(metrics.at("/totals/statsdBadLines").asLong()).isEqualTo(1);
	}

	@Test
	void udpListenerSurvivesAnyDatagram() throws IOException {
		byte[] invalidUtf8 = { (byte) 0xff, (byte) 0xfe, ':', '1', '|', 'c', (byte) 0xc3 };
		byte[] largest = new byte[65_507];
		Arrays.fill(largest, (byte) ':');
		byte[] zeros = new byte[1_000];
		for (byte[] datagram : List.of(invalidUtf8, largest, zeros, new byte[0],
				"\n\n|||@@@::".getBytes(StandardCharsets.UTF_8))) {
			sendUdp(datagram);
		}
		sendUdp("after.garbage:1|c".getBytes(StandardCharsets.UTF_8));
		JsonNode metrics = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(25))
			.until(this.client::metrics, (m) -> m.at("/counters/after.garbage").asLong() == 1);
		assertThat(metrics.at("/totals/statsdBadLines").asLong()).isPositive();
	}

	private void sendUdp(String payload) throws IOException {
		sendUdp(payload.getBytes(StandardCharsets.UTF_8));
	}

	private void sendUdp(byte[] bytes) throws IOException {
		try (DatagramSocket socket = new DatagramSocket()) {
			socket
				.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), this.statsd.udpPort()));
		}
	}

	private JsonNode awaitTotal(String total, long expected) {
		return await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(25))
			.until(this.client::metrics, (metrics) -> metrics.at("/totals/" + total).asLong() >= expected);
	}

}
