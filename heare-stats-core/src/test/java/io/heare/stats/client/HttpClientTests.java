package io.heare.stats.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import mockwebserver3.QueueDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.heare.stats.client.MockWebServers.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HttpClient} against a real HTTP server.
 */
class HttpClientTests {

	private static final RetryPolicy FAST_RETRY = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 2.0,
			0.0);

	@StartStop
	final MockWebServer server = new MockWebServer();

	private final List<StatsClient> clients = new ArrayList<>();

	@BeforeEach
	void answerOkOnceTheQueueIsEmpty() {
		// Responses a test enqueues come first; any further request is simply accepted.
		QueueDispatcher dispatcher = new QueueDispatcher();
		dispatcher.setFailFast(ok());
		this.server.setDispatcher(dispatcher);
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(StatsClient::close);
	}

	private StatsClientConfig.Builder builder() {
		return StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(this.server.getPort())
			.secret("s3cret")
			.retryPolicy(FAST_RETRY);
	}

	private StatsClient track(StatsClientConfig config) {
		return track(StatsClient.create(config));
	}

	private StatsClient track(StatsClient client) {
		this.clients.add(client);
		return client;
	}

	private RecordedRequest take() throws InterruptedException {
		return MockWebServers.take(this.server);
	}

	private static MockResponse ok() {
		return new MockResponse.Builder().code(200).build();
	}

	@Test
	void pipelineIsSentAsOneExactRequestWhenClosed() throws Exception {
		this.server.enqueue(ok());
		StatsClient client = track(new HttpClient("127.0.0.1", this.server.getPort(), "s3cret", "myapp"));
		try (Pipeline pipe = client.pipeline()) {
			pipe.incr("api.requests");
			pipe.incr("api.success", 5);
			pipe.decr("queue.size", 3);
			pipe.time("db.query.duration", 45.2);
			pipe.time("db.query.duration", 12);
			pipe.gauge("memory.usage", 85.5);
			pipe.hist("request.payload.size", 2048);
			pipe.hist("request.payload.size", 512);
		}
		RecordedRequest request = take();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/http");
		assertThat(request.getHeaders().get("Authorization"))
			.isEqualTo("Basic " + Base64.getEncoder().encodeToString("s3cret:".getBytes(StandardCharsets.UTF_8)));
		assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
		// Members are written in name order, whatever order the metrics were recorded in.
		assertThat(body(request)).isEqualTo("{\"counters\":{\"myapp.api.requests\":1,\"myapp.api.success\":5,"
				+ "\"myapp.queue.size\":-3},\"gauges\":{\"myapp.memory.usage\":85.5},"
				+ "\"timers\":{\"myapp.db.query.duration\":[45.2,12]},"
				+ "\"histograms\":{\"myapp.request.payload.size\":[2048,512]}}");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void eachBatchCarriesExactlyWhatWasRecordedSinceThePreviousOneAndAnIdleClientSendsNothing() throws Exception {
		StatsClient client = track(builder().prefix("app").build());
		// A pipeline reaches the sender as a whole: one batch each.
		try (Pipeline pipe = client.pipeline()) {
			pipe.incr("requests", 3);
			pipe.time("db", 1.5);
			pipe.time("db", 0.000834);
			pipe.hist("size", 2048);
			pipe.gauge("load", 0.75);
		}
		assertThat(client.flush()).isTrue();
		// The sender reuses the batch it sent and the encoder its buffer: nothing of the
		// first batch may show in the second, and a shorter body must not carry its tail.
		try (Pipeline pipe = client.pipeline()) {
			pipe.time("db", 7);
			pipe.incr("errors");
		}
		assertThat(client.flush()).isTrue();
		try (Pipeline pipe = client.pipeline()) {
			pipe.time("other", 120_000.25);
			pipe.time("other", 2);
			pipe.time("db", 3);
			pipe.hist("size", 1);
		}
		assertThat(client.flush()).isTrue();
		assertThat(body(take())).isEqualTo("{\"counters\":{\"app.requests\":3},\"gauges\":{\"app.load\":0.75},"
				+ "\"timers\":{\"app.db\":[1.5,8.34E-4]},\"histograms\":{\"app.size\":[2048]}}");
		assertThat(body(take())).isEqualTo("{\"counters\":{\"app.errors\":1},\"timers\":{\"app.db\":[7]}}");
		assertThat(body(take()))
			.isEqualTo("{\"timers\":{\"app.db\":[3],\"app.other\":[120000.25,2]},\"histograms\":{\"app.size\":[1]}}");
		// Nothing recorded since: the sender stays idle, however long it is given.
		assertThat(client.flush()).isTrue();
		assertThat(this.server.takeRequest(300, TimeUnit.MILLISECONDS)).isNull();
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void emptyMembersAreLeftOutAndNamesAreSanitized() throws Exception {
		this.server.enqueue(ok());
		StatsClient client = track(builder().build());
		try (Pipeline pipe = client.pipeline()) {
			pipe.incr("bad name:with|pipes@and\ttabs");
			pipe.incr("bad name:with|pipes@and\ttabs");
		}
		assertThat(body(take())).isEqualTo("{\"counters\":{\"bad_name_with_pipes_and_tabs\":2}}");
	}

	@Test
	void emptyPipelineSendsNothing() throws Exception {
		StatsClient client = track(builder().build());
		client.pipeline().close();
		assertThat(client.flush()).isTrue();
		assertThat(this.server.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void pipelineIsNotSentBeforeItIsClosed() throws Exception {
		this.server.enqueue(ok());
		StatsClient client = track(builder().build());
		Pipeline pipe = client.pipeline();
		pipe.incr("held");
		assertThat(this.server.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
		pipe.close();
		assertThat(body(take())).isEqualTo("{\"counters\":{\"held\":1}}");
	}

	@Test
	void sampledCounterIsScaledUpInJson() throws Exception {
		StatsClient client = track(builder().build());
		client.incr("always", 3, 1.0);
		for (int i = 0; i < 2000; i++) {
			client.incr("sampled", 1, 0.5);
		}
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters.get("always")).isEqualTo(3.0);
		// Each sampled-in increment counts 1 / 0.5 = 2, so the total is even and near
		// 2000.
		double sampled = received.counters.get("sampled");
		assertThat(sampled % 2).isZero();
		assertThat(sampled).isBetween(1600.0, 2400.0);
	}

	private ReceivedMetrics receivedSoFar() throws InterruptedException {
		ReceivedMetrics received = new ReceivedMetrics();
		for (RecordedRequest request; (request = this.server.takeRequest(100, TimeUnit.MILLISECONDS)) != null;) {
			received.add(body(request));
		}
		return received;
	}

	@Test
	void retriesAfterServerErrorWithoutLosingOrDoublingAnything() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		this.server.enqueue(new MockResponse.Builder().code(500).build());
		this.server.enqueue(ok());
		StatsClient client = track(builder().build());
		client.incr("orders", 2);
		RecordedRequest first = take();
		client.incr("orders", 3);
		client.gauge("level", 1);
		client.gauge("level", 7);
		RecordedRequest second = take();
		RecordedRequest third = take();
		assertThat(body(first)).isEqualTo("{\"counters\":{\"orders\":2}}");
		assertThat(body(third)).isEqualTo(body(second));
		assertThat(body(third)).isEqualTo("{\"counters\":{\"orders\":5},\"gauges\":{\"level\":7}}");
		assertThat(client.flush()).isTrue();
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.retries()).isEqualTo(2);
		assertThat(telemetry.requests()).isEqualTo(1);
		assertThat(telemetry.sentMetrics()).isEqualTo(2);
		assertThat(telemetry.droppedTotal()).isZero();
		assertThat(telemetry.lastErrorMessage()).contains("HTTP 500");
	}

	@Test
	void resendsAtOnceWithoutBackoffWhenTheConnectionClosesBeforeAnyResponseByte() throws Exception {
		this.server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
		this.server.enqueue(ok());
		StatsClient client = track(builder().build());
		client.incr("survivor", 4);
		await().atMost(Duration.ofSeconds(10)).until(() -> client.telemetry().requests() == 1);
		RecordedRequest delivered = null;
		for (RecordedRequest request; (request = this.server.takeRequest(1, TimeUnit.SECONDS)) != null;) {
			if (request.getBody() != null && request.getBodySize() > 0) {
				delivered = request;
			}
		}
		assertThat(delivered).isNotNull();
		assertThat(body(delivered)).isEqualTo("{\"counters\":{\"survivor\":4}}");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(client.telemetry().retries()).isZero();
		assertThat(client.telemetry().failures()).isZero();
		assertThat(client.telemetry().sentMetrics()).isEqualTo(1);
	}

	@Test
	void unauthorizedIsNotRetriedAndIsCountedAsRejected() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(401).build());
		this.server.enqueue(ok());
		StatsClient client = track(builder().build());
		try (Pipeline pipe = client.pipeline()) {
			pipe.incr("a").incr("b");
		}
		take();
		assertThat(client.flush()).isFalse();
		assertThat(this.server.takeRequest(300, TimeUnit.MILLISECONDS)).isNull();
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.REJECTED)).isEqualTo(2);
		assertThat(telemetry.retries()).isZero();
		assertThat(telemetry.lastErrorMessage()).contains("401")
			.contains("secret was rejected")
			.doesNotContain("s3cret");
	}

	@Test
	void slowServerDoesNotBlockRecording() throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				answer.await(30, TimeUnit.SECONDS);
				return ok();
			}

		});
		StatsClient client = track(builder().build());
		client.incr("first");
		take();
		// The server answers nothing until the recording is done: if recording waited for
		// the request in flight, it would never finish.
		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
			for (int i = 0; i < 100_000; i++) {
				client.incr("during.slow.request");
				try (Pipeline pipe = client.pipeline()) {
					pipe.time("t", i % 100);
				}
			}
		});
		answer.countDown();
		assertThat(client.flush()).isTrue();
		assertThat(body(take())).startsWith("{\"counters\":{\"during.slow.request\":100000}");
	}

	@Test
	void serverDownKeepsMemoryBoundedAndCountsWhatIsDropped() throws Exception {
		int port = this.server.getPort();
		this.server.close();
		StatsClient client = track(StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(port)
			.secret("s3cret")
			.set(StatsClientConfig.MAX_NAMES, 50)
			.set(StatsClientConfig.MAX_PENDING_VALUES, 1_000)
			.set(StatsClientConfig.CLOSE_TIMEOUT, Duration.ofMillis(300))
			.retryPolicy(FAST_RETRY)
			.build()));
		for (int i = 0; i < 200_000; i++) {
			client.incr("name." + (i % 100));
			client.time("timer", i);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> client.telemetry().failures() >= 3);
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.NAME_LIMIT)).isEqualTo(200_000 / 100 * 51);
		assertThat(telemetry.dropped(DropReason.VALUE_LIMIT)).isGreaterThan(0);
		assertThat(telemetry.requests()).isZero();
		assertThat(telemetry.lastErrorMessage()).startsWith("connection refused").contains("127.0.0.1:" + port);
		client.close();
		Telemetry closed = client.telemetry();
		assertThat(closed.dropped(DropReason.UNDELIVERED_AT_CLOSE)).isGreaterThan(0);
		assertThat(closed.recorded()).isEqualTo(400_000);
		assertThat(closed.pending()).isZero();
		assertThat(closed.unaccounted()).isZero();
	}

	@Test
	void invalidInputIsDroppedAndCountedWithoutThrowing() throws Exception {
		this.server.enqueue(ok());
		StatsClient client = track(builder().build());
		client.incr(null);
		client.incr("");
		client.incr("...");
		client.gauge("g", Double.NaN);
		client.time("t", Double.POSITIVE_INFINITY);
		client.time("t", (Duration) null);
		client.hist(null, 1);
		try (Pipeline pipe = client.pipeline()) {
			pipe.incr(null).gauge("g", Double.NEGATIVE_INFINITY).incr("ok");
		}
		assertThat(client.flush()).isTrue();
		assertThat(body(take())).isEqualTo("{\"counters\":{\"ok\":1}}");
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.INVALID_NAME)).isEqualTo(5);
		assertThat(telemetry.dropped(DropReason.INVALID_VALUE)).isEqualTo(4);
		assertThat(telemetry.recorded()).isEqualTo(10);
		assertThat(telemetry.delivered()).isEqualTo(1);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void counterThatOverflowsADoubleIsSentAsTheLargestFiniteValue() throws Exception {
		StatsClient client = track(builder().build());
		try (Pipeline pipe = client.pipeline()) {
			pipe.incr("huge", Double.MAX_VALUE).incr("huge", Double.MAX_VALUE).incr("small", 1);
		}
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters).containsEntry("huge", Double.MAX_VALUE).containsEntry("small", 1.0);
		assertThat(client.telemetry().retries()).isZero();
	}

	@Test
	void closeRetriesWithinItsDeadlineBeforeGivingUp() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		// Retries keep to the linger too: a short one keeps both well within the close
		// timeout.
		StatsClient client = StatsClient
			.create(builder().set(StatsClientConfig.LINGER, Duration.ofMillis(300)).build());
		client.pipeline().incr("at.shutdown", 9).close();
		client.close();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.bodies).isEqualTo(3);
		assertThat(received.counters.get("at.shutdown")).isEqualTo(27.0);
		assertThat(client.telemetry().sentMetrics()).isEqualTo(1);
		assertThat(client.telemetry().dropped(DropReason.UNDELIVERED_AT_CLOSE)).isZero();
	}

	@Test
	void closeFlushesThenIgnoresLaterCalls() throws Exception {
		this.server.enqueue(ok());
		AtomicReference<Thread> senderThread = new AtomicReference<>();
		StatsClient client = StatsClient.create(builder().threadFactory((task) -> {
			Thread thread = new Thread(task, "test-sender");
			senderThread.set(thread);
			return thread;
		}).build());
		client.incr("last.words");
		client.close();
		assertThat(body(take())).isEqualTo("{\"counters\":{\"last.words\":1}}");
		assertThat(senderThread.get().isAlive()).as("sender thread alive after close").isFalse();
		assertThat(senderThread.get().isDaemon()).isTrue();
		client.incr("after.close");
		client.close();
		assertThat(client.flush()).isFalse();
		assertThat(client.telemetry().dropped(DropReason.CLOSED)).isEqualTo(1);
		assertThat(client.telemetry().dropped(DropReason.UNDELIVERED_AT_CLOSE)).isZero();
	}

	@Test
	void largeBatchIsSplitIntoRequestsOfAtMostMaxBatchSize() throws Exception {
		for (int i = 0; i < 10; i++) {
			this.server.enqueue(ok());
		}
		StatsClient client = track(builder().set(StatsClientConfig.HTTP_MAX_BATCH_SIZE, 10).build());
		try (Pipeline pipe = client.pipeline()) {
			for (int i = 0; i < 25; i++) {
				pipe.incr("c" + i);
			}
		}
		assertThat(client.flush()).isTrue();
		assertThat(this.server.getRequestCount()).isEqualTo(3);
		assertThat(client.telemetry().sentMetrics()).isEqualTo(25);
	}

	@Test
	void unsetMaxBatchSizeSendsFiftyThousandEntriesInOneRequest() throws Exception {
		this.server.enqueue(ok());
		this.server.enqueue(ok());
		StatsClient client = track(builder().build());
		try (Pipeline pipe = client.pipeline()) {
			for (int i = 0; i < 50_001; i++) {
				pipe.time("t", 1);
			}
		}
		assertThat(client.flush()).isTrue();
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(timerValues(body(take()))).isEqualTo(50_000);
		assertThat(body(take())).isEqualTo("{\"timers\":{\"t\":[1]}}");
	}

	private static int timerValues(String body) {
		assertThat(body).startsWith("{\"timers\":{\"t\":[1").endsWith("1]}}");
		return (int) body.chars().filter((c) -> c == ',').count() + 1;
	}

	@Test
	void httpsIsUsedExactlyForPort443UnlessOverridden() {
		assertThat(new HttpClient("metrics.example.com", 443, "s").toString())
			.contains("https://metrics.example.com:443/http");
		assertThat(StatsClient
			.create(StatsClientConfig.builder()
				.protocol(Protocol.HTTP)
				.destHost("metrics.example.com")
				.destPort(8080)
				.secret("s")
				.build())
			.toString()).contains("http://metrics.example.com:8080/http");
		assertThat(StatsClient
			.create(StatsClientConfig.builder()
				.protocol(Protocol.HTTP)
				.destHost("metrics.example.com")
				.destPort(443)
				.secret("s")
				.set(StatsClientConfig.HTTP_SCHEME, "http")
				.build())
			.toString()).contains("http://metrics.example.com:443/http");
	}

	@Test
	void secretNeverAppearsInToString() {
		StatsClient client = track(new HttpClient("127.0.0.1", this.server.getPort(), "top-secret-value", "app"));
		assertThat(client.toString()).doesNotContain("top-secret-value");
	}

	@Test
	void badSettingsFailAtConstructionNamingTheSetting() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new HttpClient(" ", 80, "s"))
			.withMessage(
					"Invalid value ' ' for setting 'dest_host': the host name or IP address of the metrics service, without scheme, port or path");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new HttpClient("h", 0, "s"))
			.withMessage("Invalid value '0' for setting 'dest_port': a port between 1 and 65535");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new HttpClient("h", 65536, "s"))
			.withMessage("Invalid value '65536' for setting 'dest_port': a port between 1 and 65535");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new HttpClient("h", 80, null))
			.withMessage("Invalid value (none) for setting 'secret': a secret is required for protocol http");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StatsClientConfig.builder()
				.protocol(Protocol.HTTP)
				.destHost("h")
				.destPort(80)
				.secret("s")
				.set(StatsClientConfig.HTTP_SCHEME, "ftp")
				.build())
			.withMessage("Invalid value 'ftp' for setting 'http.scheme': http or https (ws or wss are read the same)");
	}

}
