package io.heare.stats.collector;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that an idle StatsD TCP connection is closed and frees its place.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "collector.statsd-port=0",
		"collector.max-tcp-connections=1", "collector.tcp-idle-timeout=500ms" })
class StatsdTcpIdleTimeoutTests {

	@LocalServerPort
	int port;

	@Autowired
	StatsdServers statsd;

	@Test
	void idleConnectionIsClosedAndItsPlaceServesTheNextClient() throws IOException {
		CollectorClient client = new CollectorClient(this.port);
		client.reset();
		try (Socket idle = connect()) {
			idle.getOutputStream().write("idle.first:1|c\n".getBytes(StandardCharsets.US_ASCII));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> client.metrics().at("/counters/idle.first").asLong() == 1);
			idle.setSoTimeout(10_000);
			assertThat(idle.getInputStream().read()).as("closed by the collector after the idle timeout").isEqualTo(-1);
		}
		// The place is freed just after the close the client sees, so a connection made
		// at that moment may still be refused: each attempt uses a new one.
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptionsInstanceOf(IOException.class)
			.untilAsserted(() -> {
				try (Socket next = connect()) {
					OutputStream out = next.getOutputStream();
					out.write("after.idle:1|c\n".getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
				assertThat(client.metrics().at("/counters/after.idle").asLong()).isPositive();
			});
	}

	private Socket connect() throws IOException {
		return new Socket(InetAddress.getLoopbackAddress(), this.statsd.tcpPort());
	}

}
