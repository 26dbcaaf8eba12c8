package io.heare.stats.collector;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that ingest and mutating endpoints need credentials however their path is spelled
 * on the request line, and accept only their own content type. Every request goes over a
 * raw socket, so the collector sees the target exactly as written here.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "collector.statsd-port=0")
class CollectorAccessTests {

	private static final String BATCH = "{\"counters\": {\"bypass\": 1}}";

	private static final String JSON = "Content-Type: application/json";

	@LocalServerPort
	int port;

	CollectorClient client;

	RawHttp raw;

	@BeforeEach
	void reset() {
		this.client = new CollectorClient(this.port);
		this.client.reset();
		this.raw = new RawHttp(this.port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/http", "/%68ttp", "/%68%74%74%70", "/http;x=1", "/http;", "/HTTP", "/Http", "/http/",
			"//http", "/./http", "/x/../http", "/%2Fhttp", "/http?x=1", "/http%3Bx=1" })
	void ingestWithoutCredentialsIsRefusedAndNothingIsStored(String target) {
		assertThat(this.raw.send("POST", target, BATCH, JSON)).isEqualTo(401);
		assertThat(this.raw.send("POST", target, BATCH, JSON, "Authorization: " + CollectorClient.basic("wrong", "")))
			.isEqualTo(401);
		assertNothingStored(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/ws", "/%77s", "/%77%73", "/ws;x=1", "/ws;", "/WS", "/Ws", "/ws/", "//ws", "/./ws",
			"/x/../ws", "/%2Fws", "/ws?x=1" })
	void webSocketHandshakeWithoutCredentialsIsRefusedAndNoFrameIsStored(String target) {
		assertThat(this.raw.upgrade(target, BATCH)).isEqualTo(401);
		assertNothingStored(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/reset", "/api/%72eset", "/%61pi/reset", "/api%2Freset", "/api/reset;x=1",
			"/api;x=1/reset", "/API/reset", "/api/RESET", "/api/reset/", "//api/reset", "/api//reset", "/api/./reset",
			"/api/x/../reset" })
	void resetWithoutCredentialsIsRefusedAndNothingIsCleared(String target) {
		assertThat(this.client.postHttp(BATCH).statusCode()).isEqualTo(200);
		assertThat(this.raw.send("POST", target, "{}", JSON)).isEqualTo(401);
		assertThat(this.raw.send("POST", target, null)).isEqualTo(401);
		JsonNode metrics = this.client.metrics();
		assertThat(metrics.at("/counters/bypass").asLong()).isEqualTo(1);
		assertThat(metrics.at("/totals/requestsAccepted").asLong()).isEqualTo(1);
		assertThat(metrics.at("/totals/rejectedUnauthorized").asLong()).isEqualTo(2);
	}

	@Test
	void credentialsOpenEveryProtectedPath() {
		assertThat(this.raw.send("POST", "/http", BATCH, JSON, RawHttp.AUTHORIZATION)).isEqualTo(200);
		assertThat(this.raw.upgrade("/ws", "{\"counters\": {\"bypass\": 2}}", RawHttp.AUTHORIZATION)).isEqualTo(101);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.metrics().at("/counters/bypass").asLong() == 3);
		assertThat(this.raw.send("POST", "/api/reset", "{}", JSON, RawHttp.AUTHORIZATION)).isEqualTo(204);
		assertThat(this.client.metrics().at("/counters").isEmpty()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b",
			"application/octet-stream", "" })
	void ingestAcceptsOnlyJson(String contentType) {
		String header = contentType.isEmpty() ? "X-No-Content-Type: 1" : "Content-Type: " + contentType;
		assertThat(this.raw.send("POST", "/http", BATCH, header, RawHttp.AUTHORIZATION)).isEqualTo(415);
		assertNothingStored(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "" })
	void resetAcceptsOnlyJson(String contentType) {
		assertThat(this.client.postHttp(BATCH).statusCode()).isEqualTo(200);
		String header = contentType.isEmpty() ? "X-No-Content-Type: 1" : "Content-Type: " + contentType;
		assertThat(this.raw.send("POST", "/api/reset", "", header, RawHttp.AUTHORIZATION)).isEqualTo(415);
		assertThat(this.client.metrics().at("/counters/bypass").asLong()).isEqualTo(1);
	}

	@Test
	void credentialedRequestsFromAnotherWebOriginAreRefused() {
		String origin = "Origin: http://attacker.example";
		assertThat(this.raw.send("POST", "/http", BATCH, JSON, RawHttp.AUTHORIZATION, origin)).isEqualTo(403);
		assertThat(this.raw.upgrade("/ws", BATCH, RawHttp.AUTHORIZATION, origin)).isEqualTo(403);
		assertNothingStored(2);
		assertThat(this.raw.send("POST", "/http", BATCH, JSON, RawHttp.AUTHORIZATION,
				"Origin: http://127.0.0.1:" + this.port))
			.isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/api/metrics", "/api/history", "/dashboard.js", "/dashboard.css",
			BasicAuthWebFilter.UPLOT_PATH + "uPlot.iife.min.js", BasicAuthWebFilter.UPLOT_PATH + "uPlot.min.css" })
	void readOnlyPagesAreOpenToGetOnly(String target) {
		assertThat(this.raw.send("GET", target, null)).isEqualTo(200);
		assertThat(this.raw.send("POST", target, "{}", JSON)).isEqualTo(401);
		assertThat(this.raw.send("DELETE", target, null)).isEqualTo(401);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/nothing", "/index.html", "/webjars/uplot/1.6.30/package.json", "/actuator" })
	void everyOtherPathNeedsCredentials(String target) {
		assertThat(this.raw.send("GET", target, null)).isEqualTo(401);
	}

	private void assertNothingStored(long refused) {
		JsonNode metrics = this.client.metrics();
		for (String kind : new String[] { "counters", "gauges", "timers", "histograms" }) {
			assertThat(metrics.path(kind).isEmpty()).as(kind).isTrue();
		}
		assertThat(metrics.at("/totals/requestsAccepted").asLong()).isZero();
		assertThat(metrics.at("/totals/rejectedUnauthorized").asLong()).isEqualTo(refused);
	}

}
