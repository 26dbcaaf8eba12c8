package io.heare.stats.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of what {@link HttpTransport} makes of each answer of the service: delivered,
 * retried, split to isolate a bad entry, or refused, and how it describes each.
 */
@Timeout(30)
class HttpTransportTests {

	@StartStop
	final MockWebServer server = new MockWebServer();

	private Transport transport;

	@AfterEach
	void closeTransport() {
		if (this.transport != null) {
			this.transport.close();
		}
	}

	private Transport transport(int port, int maxBatchBytes, Duration requestTimeout) {
		this.transport = new HttpTransport(HttpTransport.endpoint("http", "127.0.0.1", port, "/http"), "s3cret",
				new JdkHttpSender(Duration.ofSeconds(2), null), requestTimeout, 7, maxBatchBytes);
		return this.transport;
	}

	private static Batch counter(String name) {
		Batch batch = new Batch();
		batch.addCounter(name, 2);
		return batch;
	}

	@ParameterizedTest
	@CsvSource({ "200, SUCCESS", "204, SUCCESS", "299, SUCCESS", "300, REJECTED", "400, SPLIT", "413, SPLIT",
			"401, REJECTED", "403, REJECTED", "404, REJECTED", "429, RETRY", "499, REJECTED", "500, RETRY",
			"503, RETRY" })
	void eachAnswerOfTheServiceHasItsOutcome(int status, SendResult.Outcome outcome) throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(status).build());
		Transport transport = transport(this.server.getPort(), 1000, Duration.ofSeconds(5));
		SendResult result = transport.send(counter("requests"));
		assertThat(result.outcome()).isEqualTo(outcome);
		String uri = "http://127.0.0.1:" + this.server.getPort() + "/http";
		if (outcome == SendResult.Outcome.SUCCESS) {
			assertThat(result.requests()).isEqualTo(1);
			assertThat(result.bytes()).isEqualTo("{\"counters\":{\"requests\":2}}".length());
			assertThat(result.cause()).isNull();
		}
		else {
			assertThat(result.requests()).isZero();
			assertThat(result.cause()).startsWith("HTTP " + status + " from " + uri);
		}
		if (status == 401 || status == 403) {
			assertThat(result.cause()).endsWith("the secret was rejected; check the configured secret");
		}
		RecordedRequest request = MockWebServers.take(this.server);
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/http");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo(HttpTransport.basicAuthorization("s3cret"))
			.isEqualTo("Basic czNjcmV0Og==");
		assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
		assertThat(MockWebServers.body(request)).isEqualTo("{\"counters\":{\"requests\":2}}");
	}

	@Test
	void aBodyOverTheByteLimitIsHandedBackToBeSplitWithoutARequest() throws Exception {
		String body = "{\"counters\":{\"requests\":2}}";
		Transport transport = transport(this.server.getPort(), body.length() - 1, Duration.ofSeconds(5));
		SendResult result = transport.send(counter("requests"));
		assertThat(result.outcome()).isEqualTo(SendResult.Outcome.SPLIT);
		assertThat(result.cause()).isEqualTo("request body over the limit of " + (body.length() - 1)
				+ " bytes for http://127.0.0.1:" + this.server.getPort() + "/http");
		// A body of exactly the limit is sent.
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		transport.close();
		transport = transport(this.server.getPort(), body.length(), Duration.ofSeconds(5));
		assertThat(transport.send(counter("requests")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		assertThat(transport.maxBatchEntries()).isEqualTo(7);
	}

	@Test
	void aServiceThatDoesNotAnswerWithinTheRequestTimeoutIsRetried() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).headersDelay(1, TimeUnit.SECONDS).build());
		Transport transport = transport(this.server.getPort(), 1000, Duration.ofMillis(100));
		SendResult result = transport.send(counter("slow"));
		assertThat(result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
		assertThat(result.cause()).contains("http://127.0.0.1:" + this.server.getPort() + "/http");
	}

	@Test
	void aServiceThatIsNotListeningIsRetried() throws Exception {
		int port;
		try (ServerSocket closed = new ServerSocket()) {
			closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			port = closed.getLocalPort();
		}
		SendResult result = transport(port, 1000, Duration.ofSeconds(2)).send(counter("down"));
		assertThat(result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
		assertThat(result.cause()).contains("sending to http://127.0.0.1:" + port + "/http");
	}

	@Test
	void aSenderThatNeverCompletesIsGivenUpOnAfterTheRequestTimeoutAndRetried() throws Exception {
		// A sender of one's own that ignores the timeout it is given.
		HttpSender stuck = (uri, headers, body, timeout) -> new java.util.concurrent.CompletableFuture<>();
		this.transport = new HttpTransport(HttpTransport.endpoint("http", "127.0.0.1", 8080, "/http"), "s3cret", stuck,
				Duration.ofMillis(200), 7, 1000);
		long start = System.nanoTime();
		SendResult result = this.transport.send(counter("stuck"));
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		assertThat(result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
		assertThat(result.cause()).isEqualTo("request timed out after 200 ms");
		assertThat(waited).as("the sender had its whole timeout").isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

	@Test
	void anInterruptedSendEndsWithTheInterruptInsteadOfARetry() {
		Transport transport = transport(this.server.getPort(), 1000, Duration.ofSeconds(5));
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(InterruptedException.class).isThrownBy(() -> transport.send(counter("late")));
		}
		finally {
			Thread.interrupted();
		}
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void aConfiguredHttpSenderPostsTheRequests() throws Exception {
		java.util.List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
		JdkHttpSender jdk = new JdkHttpSender(Duration.ofSeconds(2), null);
		HttpSender own = (uri, headers, body, timeout) -> {
			posted.add(uri + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
			return jdk.post(uri, headers, body, timeout);
		};
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		this.transport = Transports.http(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(this.server.getPort())
			.secret("s3cret")
			.httpSender(own)
			.build());
		try {
			assertThat(this.transport.send(counter("own")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
		}
		finally {
			jdk.close();
		}
		assertThat(posted)
			.containsExactly("http://127.0.0.1:" + this.server.getPort() + "/http {\"counters\":{\"own\":2}}");
		assertThat(MockWebServers.body(MockWebServers.take(this.server))).isEqualTo("{\"counters\":{\"own\":2}}");
	}

	@Test
	void theClientsOwnSenderPostsEachBodyAsEncodedThoughTheEncoderReusesItsBuffer() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		this.transport = new HttpTransport(HttpTransport.endpoint("http", "127.0.0.1", this.server.getPort(), "/http"),
				"s3cret", new SocketHttpSender(Duration.ofSeconds(2)), Duration.ofSeconds(5), 10_000, 100_000);
		Batch large = new Batch();
		for (int i = 0; i < 500; i++) {
			large.addCounter("counter." + i, i);
		}
		String largeBody = new String(new JsonBatchEncoder().encode(large), StandardCharsets.UTF_8);
		SendResult first = this.transport.send(large);
		// Written over the start of the large body in the encoder's buffer.
		SendResult second = this.transport.send(counter("requests"));
		assertThat(first.outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
		assertThat(first.bytes()).isEqualTo(largeBody.length());
		assertThat(second.outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
		assertThat(second.bytes()).isEqualTo("{\"counters\":{\"requests\":2}}".length());
		assertThat(MockWebServers.body(MockWebServers.take(this.server))).isEqualTo(largeBody);
		RecordedRequest request = MockWebServers.take(this.server);
		assertThat(request.getHeaders().get("Content-Length")).isEqualTo("27");
		assertThat(MockWebServers.body(request)).isEqualTo("{\"counters\":{\"requests\":2}}");
	}

	@Test
	void aConfiguredSenderKeepsTheBodyItWasGivenWhileLaterBatchesAreEncoded() throws Exception {
		List<byte[]> held = new CopyOnWriteArrayList<>();
		HttpSender holding = (uri, headers, body, timeout) -> {
			held.add(body);
			return CompletableFuture.completedFuture(200);
		};
		this.transport = new HttpTransport(HttpTransport.endpoint("http", "127.0.0.1", 8080, "/http"), "s3cret",
				holding, Duration.ofSeconds(1), 10, 2048);
		this.transport.send(counter("a.long.counter.name"));
		this.transport.send(counter("b"));
		assertThat(held).extracting((body) -> new String(body, StandardCharsets.UTF_8))
			.containsExactly("{\"counters\":{\"a.long.counter.name\":2}}", "{\"counters\":{\"b\":2}}");
	}

	@Test
	void closingTheTransportClosesItsSender() {
		java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
		HttpSender sender = new HttpSender() {

			@Override
			public java.util.concurrent.CompletableFuture<Integer> post(java.net.URI uri,
					java.util.Map<String, String> headers, byte[] body, Duration timeout) {
				return java.util.concurrent.CompletableFuture.completedFuture(200);
			}

			@Override
			public void close() {
				closed.incrementAndGet();
			}

		};
		HttpTransport transport = new HttpTransport(HttpTransport.endpoint("http", "127.0.0.1", 8080, "/http"),
				"s3cret", sender, Duration.ofSeconds(1), 10, 2048);
		assertThat(transport).hasToString("HttpTransport[http://127.0.0.1:8080/http]");
		transport.close();
		assertThat(closed.get()).isEqualTo(1);
	}

	@Test
	void anIpv6AddressIsBracketedInTheEndpointOnce() {
		assertThat(HttpTransport.endpoint("http", "::1", 8080, "/http")).hasToString("http://[::1]:8080/http");
		assertThat(HttpTransport.endpoint("ws", "[::1]", 8080, "/ws")).hasToString("ws://[::1]:8080/ws");
		assertThat(HttpTransport.endpoint(null, "example.com", 443, "/http"))
			.hasToString("https://example.com:443/http");
		assertThat(HttpTransport.endpoint(null, "example.com", 80, "/http")).hasToString("http://example.com:80/http");
	}

}
