package io.heare.stats.collector;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@code POST /http} and {@code GET /api/metrics}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "collector.statsd-port=0")
class HttpIngestTests {

	@LocalServerPort
	int port;

	CollectorClient client;

	@BeforeEach
	void reset() {
		this.client = new CollectorClient(this.port);
		this.client.reset();
	}

	@Test
	void acceptedBatchesAreAggregatedExactly() {
		String body = """
				{"counters": {"myapp.api.requests": 6, "myapp.queue.size": -3},
				 "gauges": {"myapp.memory.usage": 85.5},
				 "timers": {"myapp.db.query.duration": [45.2, 12.0]},
				 "histograms": {"myapp.request.payload.size": [2048, 512]}}""";
		assertThat(this.client.postHttp(body).statusCode()).isEqualTo(200);
		HttpResponse<String> second = this.client.postHttp("""
				{"counters": {"myapp.api.requests": 4}, "gauges": {"myapp.memory.usage": -2},
				 "timers": {"myapp.db.query.duration": [30]}}""");
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(second.body()).contains("ok");

		JsonNode metrics = this.client.metrics();
		assertThat(metrics.at("/counters/myapp.api.requests").asString()).isEqualTo("10");
		assertThat(metrics.at("/counters/myapp.queue.size").asString()).isEqualTo("-3");
		assertThat(metrics.at("/gauges/myapp.memory.usage").asString()).isEqualTo("-2");
		JsonNode timer = metrics.at("/timers/myapp.db.query.duration");
		assertThat(timer.get("count").asLong()).isEqualTo(3);
		assertThat(timer.get("sum").asDouble()).isCloseTo(87.2, within(1e-9));
		assertThat(timer.get("min").asDouble()).isEqualTo(12.0);
		assertThat(timer.get("max").asDouble()).isEqualTo(45.2);
		assertThat(timer.get("p50").asDouble()).isEqualTo(30.0);
		assertThat(timer.get("p99").asDouble()).isEqualTo(45.2);
		assertThat(timer.get("recent").toString()).isEqualTo("[45.2,12,30]");
		JsonNode histogram = metrics.at("/histograms/myapp.request.payload.size");
		assertThat(histogram.get("count").asLong()).isEqualTo(2);
		assertThat(histogram.get("sum").asString()).isEqualTo("2560");
		assertThat(metrics.at("/totals/requestsAccepted").asLong()).isEqualTo(2);
		assertThat(metrics.at("/totals/rejectedUnauthorized").asLong()).isZero();
	}

	@Test
	void wrongOrMissingCredentialsAreRejectedWith401() {
		String body = "{\"counters\": {\"x\": 1}}";
		assertThat(this.client.post("/http", body, CollectorClient.basic("wrong", "")).statusCode()).isEqualTo(401);
		assertThat(this.client.post("/http", body, null).statusCode()).isEqualTo(401);
		assertThat(this.client.post("/http", body, CollectorClient.basic("dev-secret", "pw")).statusCode())
			.isEqualTo(401);
		assertThat(this.client.post("/http", body, "Bearer dev-secret").statusCode()).isEqualTo(401);
		assertThat(this.client.post("/http", body, "Basic !!!").statusCode()).isEqualTo(401);
		HttpResponse<String> response = this.client.post("/http", body, CollectorClient.basic("wrong", ""));
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("Basic"));

		JsonNode metrics = this.client.metrics();
		assertThat(metrics.at("/counters").isEmpty()).isTrue();
		assertThat(metrics.at("/totals/rejectedUnauthorized").asLong()).isEqualTo(6);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "not json", "{\"counters\": {\"x\": \"1\"}}", "{\"timers\": {\"t\": 5}}", "[1,2]",
			"{\"counters\": {\"x\": 1}, \"bogus\": {}}" })
	void malformedBodiesAreRejectedWith400AndTheServiceKeepsServing(String body) {
		HttpResponse<String> response = this.client.postHttp(body);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("error");
		assertThat(this.client.postHttp("{\"counters\": {\"after\": 1}}").statusCode()).isEqualTo(200);

		JsonNode metrics = this.client.metrics();
		assertThat(metrics.at("/counters").size()).isEqualTo(1);
		assertThat(metrics.at("/counters/after").asLong()).isEqualTo(1);
		assertThat(metrics.at("/totals/rejectedMalformed").asLong()).isEqualTo(1);
		assertThat(metrics.at("/totals/requestsAccepted").asLong()).isEqualTo(1);
	}

	@Test
	void resetClearsMetricsAndTotals() {
		this.client.postHttp("{\"counters\": {\"x\": 1}}");
		this.client.reset();
		JsonNode metrics = this.client.metrics();
		assertThat(metrics.at("/counters").isEmpty()).isTrue();
		assertThat(metrics.at("/totals/requestsAccepted").asLong()).isZero();
	}

	@Test
	void dashboardAndItsAssetsAreServedByTheCollectorItself() {
		HttpResponse<String> response = this.client.get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("text/html"));
		assertThat(response.body()).doesNotContain("http://", "https://", "src=\"//", "href=\"//");
		for (String asset : new String[] { "/dashboard.js", "/dashboard.css",
				BasicAuthWebFilter.UPLOT_PATH + "uPlot.iife.min.js",
				BasicAuthWebFilter.UPLOT_PATH + "uPlot.min.css" }) {
			assertThat(response.body()).contains("\"" + asset + "\"");
			assertThat(this.client.get(asset).statusCode()).as(asset).isEqualTo(200);
		}
	}

	@Test
	void aKeptAliveConnectionIsStillReadAfterAQueuedRequestWasAnswered() {
		// The dashboard's answer ends off the event loop (its length is read on another
		// thread), so the second request, sent in the same packet, waits in Reactor
		// Netty's queue and is answered from there. Reactor Netty 1.3.6 then stopped
		// reading the connection, and the third request was never answered.
		assertThat(new RawHttp(this.port).keptAlive(2, "/", "/api/metrics", "/api/metrics")).containsExactly(200, 200,
				200);
	}

}
