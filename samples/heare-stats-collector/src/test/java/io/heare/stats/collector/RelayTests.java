package io.heare.stats.collector;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for relay mode: aggregates flushed to another heare service.
 */
class RelayTests {

	@StartStop
	final MockWebServer upstream = new MockWebServer();

	@Test
	void flushesEveryIntervalAsHttpJsonWithBasicAuth() throws Exception {
		this.upstream.enqueue(new MockResponse.Builder().code(200).build());
		try (ConfigurableApplicationContext relay = startCollector("collector.forward.host=127.0.0.1",
				"collector.forward.port=" + this.upstream.getPort(), "collector.forward.secret=upstream-secret",
				"collector.forward.interval=200ms")) {
			// One line: a flush cannot fall between the lines of a datagram.
			sendUdp(relay, "relay.hits:5|c");
			RecordedRequest request = this.upstream.takeRequest(10, TimeUnit.SECONDS);
			assertThat(request).isNotNull();
			assertThat(request.getMethod()).isEqualTo("POST");
			assertThat(request.getTarget()).isEqualTo("/http");
			assertThat(request.getHeaders().get("Authorization"))
				.isEqualTo(CollectorClient.basic("upstream-secret", ""));
			assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
			assertThat(request.getBody().utf8()).isEqualTo("{\"counters\":{\"relay.hits\":5}}");
		}
	}

	@Test
	void flushesAggregatesOnceMoreOnShutdown() throws Exception {
		this.upstream.enqueue(new MockResponse.Builder().code(200).build());
		try (ConfigurableApplicationContext relay = startCollector("collector.forward.host=127.0.0.1",
				"collector.forward.port=" + this.upstream.getPort(), "collector.forward.secret=s",
				"collector.forward.interval=1h")) {
			sendUdp(relay, "relay.hits:2|c\nrelay.hits:3|c\nrelay.temp:0|g\nrelay.temp:-5|g\nrelay.t:12|ms\n"
					+ "relay.t:7.5|ms\nrelay.size:512|h");
			CollectorClient client = new CollectorClient(httpPort(relay));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> client.metrics().at("/totals/statsdLines").asLong() == 7);
			assertThat(
					client.post("/http", "{\"counters\": {\"last.words\": 1}}", CollectorClient.basic("dev-secret", ""))
						.statusCode())
				.isEqualTo(200);
			assertThat(this.upstream.getRequestCount()).isZero();
		}
		RecordedRequest request = this.upstream.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		assertThat(request.getBody().utf8()).isEqualTo("{\"counters\":{\"last.words\":1,\"relay.hits\":5},"
				+ "\"gauges\":{\"relay.temp\":-5},\"timers\":{\"relay.t\":[12,7.5]},"
				+ "\"histograms\":{\"relay.size\":[512]}}");
	}

	@Test
	void failedFlushIsRetriedByTheClient() throws Exception {
		this.upstream.enqueue(new MockResponse.Builder().code(503).build());
		this.upstream.enqueue(new MockResponse.Builder().code(200).build());
		try (ConfigurableApplicationContext relay = startCollector("collector.forward.host=127.0.0.1",
				"collector.forward.port=" + this.upstream.getPort(), "collector.forward.secret=s",
				"collector.forward.interval=200ms")) {
			sendUdp(relay, "retry.hits:1|c");
			RecordedRequest failed = this.upstream.takeRequest(10, TimeUnit.SECONDS);
			assertThat(failed.getBody().utf8()).isEqualTo("{\"counters\":{\"retry.hits\":1}}");
			RecordedRequest retried = this.upstream.takeRequest(10, TimeUnit.SECONDS);
			assertThat(retried.getBody().utf8()).isEqualTo("{\"counters\":{\"retry.hits\":1}}");
			CollectorClient client = new CollectorClient(httpPort(relay));
			JsonNode totals = await().atMost(Duration.ofSeconds(10))
				.until(() -> client.metrics().at("/totals"), (t) -> t.get("forwardedBatches").asLong() == 1);
			// The client retried within the flush, so the flush itself succeeded.
			assertThat(totals.get("forwardFailures").asLong()).isZero();
			assertThat(this.upstream.getRequestCount()).isEqualTo(2);
		}
	}

	@Test
	void secondCollectorReceivesWhatTheRelayForwards() throws Exception {
		try (ConfigurableApplicationContext target = startCollector("collector.secret=target-secret");
				ConfigurableApplicationContext relay = startCollector("collector.forward.host=127.0.0.1",
						"collector.forward.port=" + httpPort(target), "collector.forward.secret=target-secret",
						"collector.forward.interval=200ms")) {
			sendUdp(relay, "e2e.hits:4|c|@0.5\ne2e.gauge:0|g\ne2e.gauge:-7|g\ne2e.t:3|ms\ne2e.t:9|ms");
			CollectorClient targetClient = new CollectorClient(httpPort(target));
			JsonNode metrics = await().atMost(Duration.ofSeconds(10))
				.until(targetClient::metrics, (m) -> m.at("/timers/e2e.t/count").asLong() == 2
						&& m.at("/counters/e2e.hits").asLong() == 8 && m.at("/gauges/e2e.gauge").asLong() == -7);
			assertThat(metrics.at("/counters/e2e.hits").asLong()).isEqualTo(8);
			assertThat(metrics.at("/gauges/e2e.gauge").asLong()).isEqualTo(-7);
			assertThat(metrics.at("/timers/e2e.t/max").asLong()).isEqualTo(9);
			assertThat(metrics.at("/totals/requestsAccepted").asLong()).isPositive();
		}
	}

	@Test
	void batchesRefusedForMissingCredentialsAreNeverForwarded() throws Exception {
		this.upstream.enqueue(new MockResponse.Builder().code(200).build());
		try (ConfigurableApplicationContext relay = startCollector("collector.forward.host=127.0.0.1",
				"collector.forward.port=" + this.upstream.getPort(), "collector.forward.secret=upstream-secret",
				"collector.forward.interval=200ms")) {
			RawHttp raw = new RawHttp(httpPort(relay));
			String bypass = "{\"counters\": {\"bypass\": 1}}";
			for (String target : List.of("/http", "/%68ttp", "/http;x=1", "/HTTP", "/./http", "/x/../http")) {
				assertThat(raw.send("POST", target, bypass, "Content-Type: application/json")).as(target)
					.isEqualTo(401);
			}
			for (String target : List.of("/ws", "/%77s", "/ws;x=1", "/WS")) {
				assertThat(raw.upgrade(target, bypass)).as(target).isEqualTo(401);
			}
			// Anything stored before this batch would be forwarded before it or with it.
			assertThat(raw.send("POST", "/http", "{\"counters\": {\"marker\": 1}}", "Content-Type: application/json",
					RawHttp.AUTHORIZATION))
				.isEqualTo(200);
			RecordedRequest request = this.upstream.takeRequest(10, TimeUnit.SECONDS);
			assertThat(request).isNotNull();
			assertThat(request.getBody().utf8()).isEqualTo("{\"counters\":{\"marker\":1}}");
		}
	}

	private static ConfigurableApplicationContext startCollector(String... properties) {
		// Command-line arguments, because default properties would lose to
		// application.properties.
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--collector.statsd-port=0"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(HeareStatsCollectorApplication.class).run(args.toArray(String[]::new));
	}

	private static int httpPort(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static void sendUdp(ConfigurableApplicationContext context, String payload) throws IOException {
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		try (DatagramSocket socket = new DatagramSocket()) {
			socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(),
					context.getBean(StatsdServers.class).udpPort()));
		}
	}

}
