package io.heare.stats.webclient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.heare.stats.client.HttpSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The contract every {@link HttpSender} meets: the core's JDK sender and
 * {@link WebClientHttpSender} alike.
 */
abstract class HttpSenderContractTests {

	private static final String BODY = "{\"counters\":{\"app.requests\":6},\"timers\":{\"app.db\":[45.2,12]}}";

	// What the core's http transport sends for the secret s3cret (Basic, empty password).
	private static final Map<String, String> HEADERS = Map.of("Authorization", "Basic czNjcmV0Og==", "Content-Type",
			"application/json");

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private HttpSender sender;

	@BeforeEach
	void setUpSender() {
		this.sender = createSender();
	}

	@AfterEach
	void closeSender() {
		this.sender.close();
	}

	/**
	 * Creates the sender under test.
	 * @return the sender
	 */
	protected abstract HttpSender createSender();

	@Test
	void postsTheExactBodyToTheEndpointWithTheHeaders() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).body("ignored").build());
		assertThat(post(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)).isEqualTo(200);
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/http");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic czNjcmV0Og==");
		assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
		assertThat(request.getBody().utf8()).isEqualTo(BODY);
	}

	@ParameterizedTest
	@ValueSource(ints = { 202, 400, 401, 429, 500, 503 })
	void reportsTheStatusCodeWithoutFailing(int status) throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(status).body("{\"error\":\"ignored\"}").build());
		assertThat(post(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)).isEqualTo(status);
	}

	@Test
	void failsWhenTheExchangeTakesLongerThanTheTimeout() {
		// Far beyond the bound: a sender that ignored the timeout would end at 10 s.
		this.server.enqueue(new MockResponse.Builder().code(200).headersDelay(10, TimeUnit.SECONDS).build());
		long start = System.nanoTime();
		CompletableFuture<Integer> status = post(Duration.ofMillis(300));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> status.get(10, TimeUnit.SECONDS));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void failsWhenNothingListens() throws Exception {
		URI closed = URI.create("http://127.0.0.1:" + this.server.getPort() + "/http");
		this.server.close();
		CompletableFuture<Integer> status = this.sender.post(closed, HEADERS, BODY.getBytes(StandardCharsets.UTF_8),
				Duration.ofSeconds(2));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> status.get(5, TimeUnit.SECONDS));
	}

	private CompletableFuture<Integer> post(Duration timeout) {
		return this.sender.post(this.server.url("/http").uri(), HEADERS, BODY.getBytes(StandardCharsets.UTF_8),
				timeout);
	}

}
