package io.heare.stats.test.autoconfigure.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.heare.stats.client.StatsClient;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SpringBootTest} of a WebFlux application on a real Netty server: the web
 * filter and {@code @Timed} advice record into the in-memory client, and an assertion
 * after each request sees that request's metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
class InMemoryStatsClientWebFluxSpringBootTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	private StatsClient stats;

	@LocalServerPort
	private int port;

	@Test
	void assertionAfterEachRequestSeesThatRequestsMetrics() throws Exception {
		assertThat(this.stats).hasNothingRecorded();
		for (int i = 1; i <= 200; i++) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/orders/" + i))
				.build();
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Length"))
				.hasValue(Integer.toString(response.body().length()));
			assertThat(this.stats).counter("test.http.server.requests.total").isEqualTo(i);
			assertThat(this.stats).timer("test.orders.get").hasCount(i);
		}
	}

}
