package io.heare.stats.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the servlet and WebFlux request-metrics tests share: a real embedded server on a
 * random port, requests sent to it over the JDK's HTTP client, a
 * {@link CapturingStatsClient} bean that captures what the filter recorded, and the tests
 * whose outcome must not depend on the stack. The application under test maps {@code GET
 * /users/{id}} (answering {@code user-<id>}) and {@code GET /actuator/info}. Each stack
 * runs them with the response size histogram off, as by default, and on.
 */
public abstract class AbstractHttpServerMetricsIntegrationTests {

	/** The prefix of every request metric's name. */
	protected static final String B = "http.server.";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	protected CapturingStatsClient client;

	@Value("${heare.stats.web.response-size.enabled:false}")
	private boolean responseSizeEnabled;

	@BeforeEach
	void clearCapturedMetrics() {
		this.client.clear();
	}

	@Test
	void successIsRecordedUnderTheRouteTemplate() throws Exception {
		assertThat(get("/users/42").statusCode()).isEqualTo(200);
		assertThat(awaitExchange()).filteredOn((name) -> !name.equals(B + "response.size"))
			.containsExactlyInAnyOrder(B + "requests.total", B + "requests.method.GET", B + "requests.status.200",
					B + "requests.success", B + "response.time", B + "route.GET.users_id.time");
	}

	@Test
	void responseSizeIsRecordedOnlyWhenEnabled() throws Exception {
		assertThat(get("/users/42").body()).hasSize(7);
		awaitExchange();
		if (this.responseSizeEnabled) {
			// Recorded after the route's group: the route timer does not say it is there.
			await().atMost(Duration.ofSeconds(5)).until(() -> !this.client.named(B + "response.size").isEmpty());
			assertThat(this.client.named(B + "response.size")).singleElement()
				.satisfies((update) -> assertThat(update.value()).isEqualTo(7d));
		}
		else {
			assertThat(this.client.names()).doesNotContain(B + "response.size");
		}
	}

	@Test
	void unmatchedPathIsRecordedInTheNotFoundBucket() throws Exception {
		assertThat(get("/missing/path").statusCode()).isEqualTo(404);
		assertThat(awaitExchange())
			.contains(B + "requests.status.404", B + "requests.success", B + "route.GET.NOT_FOUND.time")
			.noneMatch((name) -> name.contains("missing") || name.startsWith(B + "requests.error"));
	}

	@Test
	void excludedPathIsNotRecorded() throws Exception {
		assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
		get("/users/1");
		awaitExchange();
		assertThat(this.client.names()).noneMatch((name) -> name.contains("actuator"));
		assertThat(this.client.named(B + "requests.total")).hasSize(1);
	}

	protected HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Waits for the one request's route timer and returns the names recorded by then.
	 */
	protected List<String> awaitExchange() {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.client.names().stream().anyMatch((name) -> name.startsWith(B + "route.")));
		assertThat(this.client.named(B + "requests.total")).hasSize(1);
		return this.client.names();
	}

}
