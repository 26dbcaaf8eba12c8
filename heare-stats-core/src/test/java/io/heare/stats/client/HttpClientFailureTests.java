package io.heare.stats.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.heare.stats.client.MockWebServers.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for how {@link HttpClient} behaves when the service refuses, fails or goes away:
 * what it sends, and that every update stays accounted for.
 */
@Timeout(60)
class HttpClientFailureTests {

	private static final RetryPolicy BACKOFF = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(800), 2.0,
			0.0);

	@StartStop
	final MockWebServer server = new MockWebServer();

	private final List<StatsClient> clients = new ArrayList<>();

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
			.retryPolicy(BACKOFF);
	}

	private StatsClient track(StatsClientConfig config) {
		return track(StatsClient.create(config));
	}

	private StatsClient track(StatsClient client) {
		this.clients.add(client);
		return client;
	}

	private void answer(java.util.function.Function<RecordedRequest, MockResponse> answer) {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer.apply(request);
			}
		});
	}

	private static MockResponse status(int code) {
		return new MockResponse.Builder().code(code).build();
	}

	@Test
	void aRejectedSecretBacksOffInsteadOfSendingEveryLinger() throws Exception {
		AtomicInteger status = new AtomicInteger(401);
		answer((request) -> status(status.get()));
		StatsClient client = track(builder().set(StatsClientConfig.LINGER, Duration.ofMillis(20)).build());
		long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
		while (System.nanoTime() - end < 0) {
			client.incr("steady");
			// One increment a millisecond, as the application records.
			TimeUnit.MILLISECONDS.sleep(1);
		}
		// 100, 200, 400, 800... ms apart: about 5 in 1.5 s, against ~75 at one per
		// linger.
		assertThat(this.server.getRequestCount()).isBetween(2, 9);
		Telemetry rejected = client.telemetry();
		assertThat(rejected.dropped(DropReason.REJECTED)).isPositive();

		status.set(200);
		client.incr("after.fix");
		await().atMost(Duration.ofSeconds(5)).until(() -> client.telemetry().delivered() > 0);
		assertThat(client.flush()).as("reports what was rejected since the last flush").isFalse();
		int requestsWhenFixed = this.server.getRequestCount();
		// The first success resets the backoff: what is recorded next goes out at once.
		client.incr("next");
		assertThat(client.flush()).isTrue();
		assertThat(this.server.getRequestCount()).isGreaterThan(requestsWhenFixed);
		client.close();
		Telemetry closed = client.telemetry();
		assertThat(closed.unaccounted()).isZero();
		assertThat(closed.delivered() + closed.dropped(DropReason.REJECTED)).isEqualTo(closed.recorded());
	}

	@Test
	void flushingOftenWithARejectedSecretKeepsToTheBackoff() throws Exception {
		answer((request) -> status(401));
		StatsClient client = track(builder().build());
		long start = System.nanoTime();
		for (int i = 0; i < 200; i++) {
			client.incr("flushed");
			assertThat(client.flush()).isFalse();
		}
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		// Without the backoff, every flush is a request: 200. With it, 100, 200, 400,
		// 800, 800... ms apart: one at once, then one per backoff step at most.
		int requests = this.server.getRequestCount();
		assertThat(requests).as("requests in %d ms of flushing", elapsedMillis)
			.isBetween(1, 4 + (int) (elapsedMillis / 800));
		assertThat(requests).isLessThan(20);
		client.close();
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.recorded()).isEqualTo(200);
		assertThat(telemetry.pending()).isZero();
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(telemetry.delivered()).isZero();
	}

	@Test
	void aRejectedBatchIsCountedInUpdatesNotEntries() throws Exception {
		answer((request) -> status(401));
		StatsClient client = track(builder().build());
		for (int i = 0; i < 500; i++) {
			client.incr("merged");
		}
		client.gauge("level", 1);
		client.gauge("level", 2);
		assertThat(client.flush()).isFalse();
		client.close();
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.recorded()).isEqualTo(502);
		assertThat(telemetry.dropped(DropReason.REJECTED)).isEqualTo(502);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void aBadEntryIsIsolatedByHalvingAndTheRestIsDelivered() throws Exception {
		List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
		answer((request) -> {
			String body = body(request);
			if (body.contains("poison")) {
				return status(400);
			}
			delivered.add(body);
			return status(200);
		});
		StatsClient client = track(builder().build());
		try (Pipeline pipe = client.pipeline()) {
			for (int i = 0; i < 100; i++) {
				pipe.incr("good." + i);
			}
			pipe.incr("poison", 7);
			pipe.time("latency", 3);
		}
		assertThat(client.flush()).as("the poisoned entry was dropped").isFalse();
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.REJECTED)).isEqualTo(1);
		assertThat(telemetry.delivered()).isEqualTo(101);
		assertThat(telemetry.unaccounted()).isZero();
		String all = String.join("\n", delivered);
		for (int i = 0; i < 100; i++) {
			assertThat(all).contains("\"good." + i + "\":1");
		}
		assertThat(all).contains("\"latency\":[3]");
		// Halving 102 entries down to one costs about two requests per level.
		assertThat(this.server.getRequestCount()).isLessThan(30);
	}

	@Test
	void aBatchLargerThanTheByteLimitGoesInPartsWithinIt() throws Exception {
		List<Long> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
		answer((request) -> {
			sizes.add(request.getBodySize());
			return status(200);
		});
		StatsClient client = track(builder().set(StatsClientConfig.HTTP_MAX_BATCH_BYTES, 2048).build());
		try (Pipeline pipe = client.pipeline()) {
			for (int i = 0; i < 300; i++) {
				pipe.incr("a.rather.long.metric.name.number." + i);
			}
		}
		assertThat(client.flush()).isTrue();
		assertThat(sizes).hasSizeGreaterThan(1).allSatisfy((size) -> assertThat(size).isLessThanOrEqualTo(2048));
		assertThat(client.telemetry().delivered()).isEqualTo(300);
		assertThat(client.telemetry().droppedTotal()).isZero();
	}

	@Test
	void aHugeSampledCounterIsSentAsTheLargestFiniteValue() throws Exception {
		List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
		answer((request) -> {
			bodies.add(body(request));
			return status(body(request).contains("Infinity") ? 400 : 200);
		});
		StatsClient client = track(builder().build());
		while (client.telemetry().recorded() == 0) {
			client.incr("big", 1e307, 0.01);
		}
		assertThat(client.flush()).isTrue();
		assertThat(bodies).isNotEmpty().noneMatch((body) -> body.contains("Infinity"));
		assertThat(bodies.get(0)).isEqualTo("{\"counters\":{\"big\":1.7976931348623157E308}}");
	}

	@Test
	void closeFromAnInterruptedThreadStillDeliversAndKeepsTheInterrupt() throws Exception {
		answer((request) -> status(200));
		StatsClient client = track(builder().build());
		client.incr("last.words", 3);
		Thread.currentThread().interrupt();
		try {
			client.close();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		assertThat(body(request)).isEqualTo("{\"counters\":{\"last.words\":3}}");
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.delivered()).isEqualTo(1);
		assertThat(telemetry.dropped(DropReason.UNDELIVERED_AT_CLOSE)).isZero();
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void flushFromAnInterruptedThreadWaitsForTheOutcome() throws Exception {
		answer((request) -> new MockResponse.Builder().code(200).headersDelay(300, TimeUnit.MILLISECONDS).build());
		StatsClient client = track(builder().build());
		client.incr("slow");
		Thread.currentThread().interrupt();
		try {
			assertThat(client.flush()).isTrue();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(client.telemetry().delivered()).isEqualTo(1);
	}

	@Test
	void closeFromAnInterruptedThreadCountsWhatTheServiceNeverTook() throws Exception {
		answer((request) -> status(503));
		StatsClient client = track(builder().set(StatsClientConfig.CLOSE_TIMEOUT, Duration.ofMillis(500)).build());
		for (int i = 0; i < 10; i++) {
			client.incr("lost");
		}
		client.time("lost.timer", 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> client.telemetry().retries() > 0);
		Thread.currentThread().interrupt();
		long start = System.nanoTime();
		try {
			client.close();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close waited for its deadline")
			.isGreaterThanOrEqualTo(Duration.ofMillis(450));
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.UNDELIVERED_AT_CLOSE)).isEqualTo(11);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void aPooledConnectionTheServiceClosedIsReplacedWithoutARetry() throws Exception {
		AtomicInteger requests = new AtomicInteger();
		answer((request) -> (requests.incrementAndGet() == 2)
				? new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build()
				: status(200));
		StatsClient client = track(builder().build());
		client.incr("first");
		assertThat(client.flush()).isTrue();
		client.incr("second");
		assertThat(client.flush()).isTrue();
		RecordedRequest first = this.server.takeRequest(1, TimeUnit.SECONDS);
		RecordedRequest dropped = this.server.takeRequest(1, TimeUnit.SECONDS);
		RecordedRequest resent = this.server.takeRequest(1, TimeUnit.SECONDS);
		assertThat(dropped.getConnectionIndex()).as("the pooled connection").isEqualTo(first.getConnectionIndex());
		assertThat(resent.getConnectionIndex()).isNotEqualTo(first.getConnectionIndex());
		assertThat(body(resent)).isEqualTo("{\"counters\":{\"second\":1}}");
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.retries()).isZero();
		assertThat(telemetry.failures()).isZero();
		assertThat(telemetry.delivered()).isEqualTo(2);
	}

	@Test
	void flushReportsValuesDroppedAtALimitBeforeIt() throws Exception {
		answer((request) -> status(200));
		StatsClient client = track(builder().set(StatsClientConfig.MAX_NAMES, 1).build());
		client.incr("one");
		client.incr("two");
		assertThat(client.flush()).isFalse();
		client.incr("one");
		assertThat(client.flush()).isTrue();
		assertThat(client.telemetry().dropped(DropReason.NAME_LIMIT)).isEqualTo(1);
	}

	@Test
	void recordingNeverWaitsOnAServiceThatHangs() throws Exception {
		answer((request) -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
		// Closing gives up on the hanging service after a second rather than the default
		// five.
		StatsClient client = track(builder().set(StatsClientConfig.HTTP_REQUEST_TIMEOUT, Duration.ofMillis(300))
			.set(StatsClientConfig.CLOSE_TIMEOUT, Duration.ofSeconds(1))
			.build());
		AtomicReference<Throwable> failure = new AtomicReference<>();
		CompletableFuture<Void> recording = CompletableFuture.runAsync(() -> {
			try {
				for (int i = 0; i < 200_000; i++) {
					client.incr("hang." + (i % 10));
					client.time("hang.t", i);
				}
			}
			catch (Throwable ex) {
				failure.set(ex);
			}
		});
		recording.get(10, TimeUnit.SECONDS);
		assertThat(failure.get()).isNull();
		await().atMost(Duration.ofSeconds(5)).until(() -> client.telemetry().retries() > 0);
		assertThat(client.telemetry().lastErrorMessage()).contains("timed out");
	}

	@Test
	@org.junit.jupiter.api.condition.EnabledForJreRange(min = org.junit.jupiter.api.condition.JRE.JAVA_21)
	void closeReleasesTheJdkHttpClientsThread() throws Exception {
		answer((request) -> status(200));
		java.util.Set<Thread> before = selectorThreads();
		StatsClient client = track(builder().build());
		client.incr("warm");
		assertThat(client.flush()).isTrue();
		java.util.Set<Thread> started = selectorThreads();
		started.removeAll(before);
		assertThat(started).isNotEmpty();
		client.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> started.stream().noneMatch(Thread::isAlive));
	}

	// On Java 17 a JDK HttpClient cannot be closed; its selector thread ends once it is
	// collected.
	private static java.util.Set<Thread> selectorThreads() {
		java.util.Set<Thread> threads = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
		threads.removeIf((thread) -> !thread.getName().endsWith("SelectorManager"));
		return threads;
	}

}
