package io.heare.stats.collector;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@code /ws} WebSocket endpoint.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "collector.statsd-port=0")
class WebSocketIngestTests {

	@LocalServerPort
	int port;

	CollectorClient client;

	final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	void reset() {
		this.client = new CollectorClient(this.port);
		this.client.reset();
	}

	@Test
	void framesWithAuthenticatedHandshakeAreRecorded() throws Exception {
		WebSocket socket = connect(CollectorClient.basic("dev-secret", ""));
		socket.sendText("{\"counters\": {\"ws.hits\": 2}, \"timers\": {\"ws.latency\": [10, 20]}}", true)
			.get(5, TimeUnit.SECONDS);
		socket.sendText("not json", true).get(5, TimeUnit.SECONDS);
		socket.sendText("{\"counters\": {\"ws.hits\": 3}, \"gauges\": {\"ws.conns\": -1}}", true)
			.get(5, TimeUnit.SECONDS);
		JsonNode metrics = await().atMost(Duration.ofSeconds(10))
			.until(this.client::metrics, (m) -> m.at("/totals/wsFramesAccepted").asLong() == 2);
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);

		assertThat(metrics.at("/counters/ws.hits").asLong()).isEqualTo(5);
		assertThat(metrics.at("/gauges/ws.conns").asLong()).isEqualTo(-1);
		assertThat(metrics.at("/timers/ws.latency/count").asLong()).isEqualTo(2);
		assertThat(metrics.at("/totals/rejectedMalformed").asLong()).isEqualTo(1);
		assertThat(metrics.at("/totals/requestsAccepted").asLong()).isEqualTo(2);
	}

	@Test
	void largeAndFragmentedMessagesAreReassembled() throws Exception {
		StringBuilder json = new StringBuilder("{\"histograms\": {\"ws.big\": [");
		for (int i = 0; i < 50_000; i++) {
			json.append(i % 1000).append(i < 49_999 ? ", " : "");
		}
		String big = json.append("]}}").toString();
		assertThat(big.length()).isGreaterThan(200_000);
		WebSocket socket = connect(CollectorClient.basic("dev-secret", ""));
		socket.sendText(big, true).get(5, TimeUnit.SECONDS);
		int half = big.length() / 2;
		socket.sendText(big.substring(0, half), false).get(5, TimeUnit.SECONDS);
		socket.sendText(big.substring(half), true).get(5, TimeUnit.SECONDS);
		JsonNode metrics = await().atMost(Duration.ofSeconds(10))
			.until(this.client::metrics, (m) -> m.at("/totals/wsFramesAccepted").asLong() == 2);
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
		assertThat(metrics.at("/histograms/ws.big/count").asLong()).isEqualTo(100_000);
		assertThat(metrics.at("/totals/rejectedMalformed").asLong()).isZero();
	}

	@Test
	void handshakeWithoutOrWithWrongAuthIsRejectedWith401() {
		for (String authorization : new String[] { null, CollectorClient.basic("wrong", "") }) {
			assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> connect(authorization))
				.havingCause()
				.isInstanceOfSatisfying(WebSocketHandshakeException.class,
						(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(401));
		}
		assertThat(this.client.metrics().at("/totals/rejectedUnauthorized").asLong()).isEqualTo(2);
	}

	private WebSocket connect(String authorization) {
		WebSocket.Builder builder = this.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
		if (authorization != null) {
			builder.header("Authorization", authorization);
		}
		return builder.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/ws"), new WebSocket.Listener() {
		}).join();
	}

}
