package io.heare.stats.test.autoconfigure.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.InMemoryStatsClient;
import io.heare.stats.test.autoconfigure.support.OkDispatcher;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SpringBootTest} whose {@code application.yml} names a real destination, a
 * heare service on 127.0.0.1 that accepts everything: with the test support on the
 * classpath and no opt-in, the context holds no client that could send, and nothing
 * reaches the receiver after a flush.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExportOffByDefaultTests {

	@StartStop
	static final MockWebServer receiver = new MockWebServer();

	static {
		receiver.setDispatcher(new OkDispatcher());
	}

	@Autowired
	private StatsClient stats;

	@Autowired
	private ConfigurableApplicationContext context;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void destinationIsTheReceiver(DynamicPropertyRegistry registry) {
		registry.add("test.receiver.port", receiver::getPort);
	}

	@Test
	void sendsNothingToTheConfiguredDestination() throws Exception {
		assertThat(this.context.getEnvironment().getProperty("heare.stats.dest-port"))
			.isEqualTo(Integer.toString(receiver.getPort()));
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/orders/1")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		this.stats.incr("direct");
		assertThat(this.stats).counter("test.http.server.requests.total").isEqualTo(1);
		assertThat(this.stats.flush()).isTrue();
		assertThat(this.stats).isInstanceOf(InMemoryStatsClient.class);
		assertThat(this.context.getBeansOfType(StatsClient.class).values())
			.hasOnlyElementsOfType(InMemoryStatsClient.class);
		// Opted in, the same set-up delivers within milliseconds (ExportOptInTests).
		assertThat(receiver.takeRequest(2, TimeUnit.SECONDS)).isNull();
		assertThat(receiver.getRequestCount()).isZero();
	}

}
