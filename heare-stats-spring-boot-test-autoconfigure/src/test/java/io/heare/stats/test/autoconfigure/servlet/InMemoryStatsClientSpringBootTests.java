package io.heare.stats.test.autoconfigure.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.InMemoryStatsClient;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SpringBootTest} on a real embedded Tomcat, with the test support on the
 * classpath and nothing else: the context's client is in memory, the request filter and
 * {@code @Timed} advice record into it, and the assertions see every request's metrics.
 * <p>
 * The tests that record start with {@code hasNothingRecorded()}: whichever runs second
 * fails unless the client is reset between tests.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "heare.stats.web.response-size.enabled=true")
class InMemoryStatsClientSpringBootTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	private StatsClient stats;

	@Autowired
	private ApplicationContext context;

	@LocalServerPort
	private int port;

	@Test
	void contextHoldsOneInMemoryClientWithTheConfiguredPrefix() {
		assertThat(this.stats).isInstanceOf(InMemoryStatsClient.class);
		assertThat(this.context.getBeansOfType(StatsClient.class)).containsOnlyKeys("heareStatsClient");
		assertThat(this.context.getBeansOfType(StatsClient.class).values())
			.hasOnlyElementsOfType(InMemoryStatsClient.class);
		this.stats.incr("prefixed");
		assertThat(this.stats).counter("test.prefixed").isEqualTo(1);
	}

	@Test
	void requestFilterTimedAdviceAndInjectedClientRecordIntoIt() throws Exception {
		assertThat(this.stats).hasNothingRecorded();
		assertThat(get("/orders/42").body()).isEqualTo("order 42");
		assertThat(this.stats).counter("test.http.server.requests.total").isEqualTo(1);
		assertThat(this.stats).counter("test.http.server.requests.status.200").isEqualTo(1);
		assertThat(this.stats).timer("test.http.server.route.GET.orders_id.time").hasCount(1);
		assertThat(this.stats).histogram("test.http.server.response.size").hasValues("order 42".length());
		assertThat(this.stats).timer("test.orders.get").hasCount(1);
		assertThat(this.stats).counter("test.orders.get.success").isEqualTo(1);
		assertThat(this.stats).counter("test.orders.viewed").isEqualTo(1);
	}

	@Test
	void assertionAfterEachRequestSeesThatRequestsMetrics() throws Exception {
		assertThat(this.stats).hasNothingRecorded();
		for (int i = 1; i <= 200; i++) {
			HttpResponse<String> response = get("/orders/" + i);
			// A fixed-length response reaches the client before the filter has recorded.
			assertThat(response.headers().firstValue("Content-Length"))
				.hasValue(Integer.toString(response.body().length()));
			assertThat(this.stats).counter("test.http.server.requests.total").isEqualTo(i);
			assertThat(this.stats).timer("test.http.server.response.time").hasCount(i);
		}
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response;
	}

}
