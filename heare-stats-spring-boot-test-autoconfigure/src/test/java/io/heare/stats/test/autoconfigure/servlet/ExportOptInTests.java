package io.heare.stats.test.autoconfigure.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.InMemoryStatsClient;
import io.heare.stats.test.autoconfigure.AutoConfigureHeareStats;
import io.heare.stats.test.autoconfigure.support.OkDispatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same set-up as {@link ExportOffByDefaultTests}, opted in to sending: the metrics
 * reach the receiver that {@code application.yml} names.
 */
class ExportOptInTests {

	@StartStop
	static final MockWebServer receiver = new MockWebServer();

	static {
		receiver.setDispatcher(new OkDispatcher());
	}

	@DynamicPropertySource
	static void destinationIsTheReceiver(DynamicPropertyRegistry registry) {
		registry.add("test.receiver.port", receiver::getPort);
	}

	static void requestIsDelivered(StatsClient stats, int port) throws Exception {
		assertThat(stats).isNotInstanceOf(InMemoryStatsClient.class);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/1")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		// The filter may record after the response arrived; a delivered batch has it.
		StringBuilder bodies = new StringBuilder();
		RecordedRequest request;
		while (!bodies.toString().contains("\"test.http.server.requests.total\":1")
				&& (request = receiver.takeRequest(10, TimeUnit.SECONDS)) != null) {
			assertThat(request.getTarget()).isEqualTo("/http");
			bodies.append(request.getBody().utf8());
		}
		assertThat(bodies.toString()).contains("\"test.http.server.requests.total\":1", "\"test.orders.viewed\":1");
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@AutoConfigureHeareStats(export = true)
	@DirtiesContext
	class WithTheAnnotation {

		@Autowired
		private StatsClient stats;

		@LocalServerPort
		private int port;

		@Test
		void sendsToTheConfiguredDestination() throws Exception {
			requestIsDelivered(this.stats, this.port);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "heare.stats.test.export=true")
	@DirtiesContext
	class WithTheProperty {

		@Autowired
		private StatsClient stats;

		@LocalServerPort
		private int port;

		@Test
		void sendsToTheConfiguredDestination() throws Exception {
			requestIsDelivered(this.stats, this.port);
		}

	}

}
