package io.heare.stats.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of what a service receives when a client splits what it has recorded into
 * requests, retries failed ones and paces its sends: every request within the configured
 * size, everything delivered exactly once, and sends and retries spaced as configured.
 */
@Timeout(30)
class BatchingAndRetryTests {

	@StartStop
	final MockWebServer server = new MockWebServer();

	private final Service service = new Service();

	private final List<StatsClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(StatsClient::close);
	}

	private StatsClient client(TestClients.Settings settings) {
		this.server.setDispatcher(this.service);
		StatsClient client = settings.http();
		this.clients.add(client);
		return client;
	}

	private TestClients.Settings settings() {
		return TestClients.on(this.server.getPort());
	}

	@Test
	void everyRequestCarriesAtMostMaxBatchSizeEntriesAndTogetherTheyCarryEverythingOnce() {
		StatsClient client = client(settings().maxBatchSize(10).linger(Duration.ofSeconds(5)));
		Recorded recorded = Recorded.mixed(client);
		assertThat(client.flush()).isTrue();
		List<Arrival> requests = this.service.arrivals();
		assertThat(requests).hasSizeGreaterThanOrEqualTo(recorded.entries / 10);
		requests.forEach((request) -> assertThat(request.entries()).as(request.body).isBetween(1, 10));
		recorded.assertReceivedExactlyOnce(this.service.delivered());
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.delivered()).isEqualTo(telemetry.recorded()).isEqualTo(recorded.updates);
		assertThat(telemetry.droppedTotal()).isZero();
	}

	@Test
	void aBodyOverMaxBatchBytesIsNeverSentButSplitUntilEveryPartFits() {
		StatsClient client = client(settings().maxBatchBytes(1024).linger(Duration.ofSeconds(5)));
		Map<String, Double> counters = new TreeMap<>();
		for (int i = 0; i < 120; i++) {
			String name = "a.rather.long.counter.name.for.a.request.of.many.bytes." + i;
			client.incr(name, i + 1);
			counters.put(name, i + 1d);
		}
		assertThat(client.flush()).isTrue();
		List<Arrival> requests = this.service.arrivals();
		assertThat(requests).hasSizeGreaterThanOrEqualTo(8);
		requests.forEach((request) -> assertThat(request.bytes).isLessThanOrEqualTo(1024));
		assertThat(received(this.service.delivered()).counters).isEqualTo(counters);
		assertThat(client.telemetry().droppedTotal()).isZero();
	}

	@Test
	void aSplitOffPartThatFailsIsRetriedAndEverythingIsDeliveredExactlyOnce() {
		// After the first request, the second part of the split batch fails once; the
		// parts after it wait for its retry.
		this.service.answer((index, body) -> (index == 2) ? 503 : 200);
		// The retry waits for the linger too: a short one.
		StatsClient client = client(settings().maxBatchSize(10).linger(Duration.ofMillis(300)));
		Recorded recorded = Recorded.mixed(client);
		assertThat(client.flush()).isTrue();
		List<Arrival> requests = this.service.arrivals();
		assertThat(requests.get(2).status).isEqualTo(503);
		requests.forEach((request) -> assertThat(request.entries()).as(request.body).isBetween(1, 10));
		recorded.assertReceivedExactlyOnce(this.service.delivered());
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.delivered()).isEqualTo(recorded.updates);
		assertThat(telemetry.droppedTotal()).isZero();
		assertThat(telemetry.pending()).isZero();
	}

	@Test
	void everyPartOfASplitBatchFailingOnceStillDeliversEverythingExactlyOnce() {
		// Every other request fails, so that every part of the split batch fails once and
		// the parts after it are merged back to wait for its retry.
		this.service.answer((index, body) -> (index % 2 == 1) ? 503 : 200);
		// Retries keep to the linger too: a short one, for the many retries here.
		StatsClient client = client(
				settings().maxBatchSize(7).linger(Duration.ofMillis(100)).flushTimeout(Duration.ofSeconds(15)));
		Recorded recorded = Recorded.mixed(client);
		assertThat(client.flush()).isTrue();
		this.service.arrivals().forEach((request) -> assertThat(request.entries()).isBetween(1, 7));
		recorded.assertReceivedExactlyOnce(this.service.delivered());
		assertThat(client.telemetry().delivered()).isEqualTo(recorded.updates);
	}

	@Test
	void aRejectionDropsThePartsAfterItWithoutARequestEach() {
		// After the first request, the service accepts one part of the split batch, then
		// rejects the secret.
		this.service.answer((index, body) -> (index < 2) ? 200 : 401);
		StatsClient client = client(settings().maxBatchSize(10).linger(Duration.ofSeconds(5)));
		Recorded recorded = Recorded.mixed(client);
		assertThat(client.flush()).isFalse();
		assertThat(this.service.arrivals()).hasSize(3);
		long delivered = client.telemetry().delivered();
		assertThat(delivered).isGreaterThan(1).isLessThan(recorded.updates);
		assertThat(client.telemetry().dropped(DropReason.REJECTED)).isEqualTo(recorded.updates - delivered);
		assertThat(client.telemetry().pending()).isZero();
	}

	@Test
	void flushReportsALossOnceAndTheNextFlushSucceeds() {
		// The service refuses any body naming "bad": the client isolates that entry and
		// drops it.
		this.service.answer((index, body) -> body.contains("bad") ? 400 : 200);
		StatsClient client = client(settings().linger(Duration.ofSeconds(5)));
		client.incr("good.before");
		client.incr("bad");
		client.time("good.timer", 3);
		assertThat(client.flush()).as("a dropped entry is reported").isFalse();
		assertThat(client.telemetry().dropped(DropReason.REJECTED)).isEqualTo(1);
		client.incr("good.after");
		assertThat(client.flush()).as("nothing was lost since the previous flush").isTrue();
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = received(this.service.delivered());
		assertThat(received.counters).containsOnlyKeys("good.before", "good.after");
		assertThat(received.timers).containsEntry("good.timer", List.of(3d));
	}

	@Test
	void whatIsInFlightIsCountedAsPendingUntilDelivered() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.service.answer((index, body) -> {
			if (index == 1) {
				awaitRelease(release);
			}
			return 200;
		});
		StatsClient client = client(settings().linger(Duration.ofSeconds(5)));
		client.incr("warm.up");
		assertThat(client.flush()).isTrue();
		CompletableFuture<Boolean> flushed;
		try {
			for (int i = 0; i < 5; i++) {
				client.incr("in.flight");
			}
			client.time("in.flight.timer", 1);
			client.time("in.flight.timer", 2);
			flushed = CompletableFuture.supplyAsync(client::flush);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.service.received() == 2);
			assertThat(client.telemetry().pending()).isEqualTo(7);
		}
		finally {
			release.countDown();
		}
		assertThat(flushed.get(15, TimeUnit.SECONDS)).isTrue();
		assertThat(client.telemetry().pending()).isZero();
		assertThat(client.telemetry().delivered()).isEqualTo(8);
	}

	@Test
	void aBusyClientSendsAtMostOncePerLinger() throws Exception {
		Duration linger = Duration.ofMillis(100);
		StatsClient client = client(settings().linger(linger));
		long start = System.nanoTime();
		while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000)) {
			client.incr("busy");
			TimeUnit.MILLISECONDS.sleep(2);
		}
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(client.flush()).isTrue();
		List<Arrival> requests = this.service.arrivals();
		// Without the linger, every increment would be a request of its own.
		assertThat(requests.size()).as("requests in %d ms", elapsedMillis)
			.isBetween(3, (int) (elapsedMillis / linger.toMillis()) + 3);
		// The flush sends at once; the sends before it keep to the linger, give or take
		// the time each request takes to arrive.
		List<Long> gaps = new ArrayList<>(gapsMillis(requests.subList(0, requests.size() - 1)));
		gaps.sort(null);
		assertThat(gaps.get(gaps.size() / 2)).as("median of %s ms between requests", gaps)
			.isGreaterThanOrEqualTo(linger.toMillis() * 3 / 4);
		assertThat(received(this.service.delivered()).counters.get("busy"))
			.isEqualTo((double) client.telemetry().recorded());
	}

	@Test
	void failedSendsAreRetriedAfterTheInitialBackoffGrowingByTheMultiplier() {
		this.service.answer((index, body) -> (index < 4) ? 503 : 200);
		RetryPolicy policy = new RetryPolicy(Duration.ofMillis(50), Duration.ofSeconds(10), 2.0, 0.0);
		StatsClient client = client(settings().retryPolicy(policy));
		// An idle client sends at once; what is recorded while it waits to retry joins
		// the retry.
		client.incr("retried", 3);
		client.time("retried.timer", 4);
		await().atMost(Duration.ofSeconds(15)).until(() -> client.telemetry().delivered() == 2);
		List<Arrival> requests = this.service.arrivals();
		assertThat(requests).hasSize(5);
		List<Long> gaps = gapsMillis(requests);
		// Generous upper bounds: a busy machine delays a retry, but never makes it early.
		long[] expected = { 50, 100, 200, 400 };
		for (int i = 0; i < expected.length; i++) {
			assertThat(gaps.get(i)).as("milliseconds before retry %d of %s", i + 1, gaps)
				.isBetween(expected[i] * 3 / 4, expected[i] + 2000);
		}
		ReceivedMetrics received = received(this.service.delivered());
		assertThat(received.counters).containsExactlyEntriesOf(Map.of("retried", 3d));
		assertThat(received.timers).containsExactlyEntriesOf(Map.of("retried.timer", List.of(4d)));
		assertThat(client.telemetry().delivered()).isEqualTo(2);
	}

	@Test
	void theBackoffStopsGrowingAtTheMaximum() {
		this.service.answer((index, body) -> (index < 5) ? 503 : 200);
		RetryPolicy policy = new RetryPolicy(Duration.ofMillis(40), Duration.ofMillis(120), 3.0, 0.0);
		StatsClient client = client(settings().retryPolicy(policy));
		client.incr("capped");
		await().atMost(Duration.ofSeconds(15)).until(() -> client.telemetry().delivered() == 1);
		List<Long> gaps = gapsMillis(this.service.arrivals());
		assertThat(gaps).hasSize(5);
		// 40, 120, then 120 again and again rather than 360, 1080, 3240 ms; the upper
		// bounds leave room for a busy machine.
		assertThat(gaps.get(0)).as("%s", gaps).isBetween(30L, 2000L);
		gaps.subList(1, 5).forEach((gap) -> assertThat(gap).as("%s", gaps).isBetween(90L, 2100L));
	}

	private static List<Long> gapsMillis(List<Arrival> arrivals) {
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < arrivals.size(); i++) {
			gaps.add(TimeUnit.NANOSECONDS.toMillis(arrivals.get(i).nanos - arrivals.get(i - 1).nanos));
		}
		return gaps;
	}

	private static ReceivedMetrics received(List<Arrival> arrivals) {
		ReceivedMetrics received = new ReceivedMetrics();
		arrivals.forEach((arrival) -> received.add(arrival.body));
		return received;
	}

	private static void awaitRelease(CountDownLatch latch) {
		try {
			latch.await(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** What one kind of each metric, recorded before a flush, must arrive as. */
	private static final class Recorded {

		final Map<String, Double> counters = new TreeMap<>();

		final Map<String, Double> gauges = new TreeMap<>();

		final Map<String, List<Double>> timers = new TreeMap<>();

		final Map<String, List<Double>> histograms = new TreeMap<>();

		int entries;

		long updates;

		/**
		 * 13 counters, 4 gauges, two timers of 23 and 5 values and a histogram of 7
		 * values: 52 entries, recorded after a first request so that they are sent
		 * together.
		 */
		static Recorded mixed(StatsClient client) {
			client.incr("warm.up");
			assertThat(client.flush()).isTrue();
			Recorded recorded = new Recorded();
			recorded.counters.put("warm.up", 1d);
			recorded.entries++;
			recorded.updates++;
			for (int i = 0; i < 13; i++) {
				String name = "counter." + i;
				client.incr(name, i + 1);
				client.incr(name, 0.5);
				recorded.counters.put(name, i + 1.5);
				recorded.entries++;
				recorded.updates += 2;
			}
			for (int i = 0; i < 4; i++) {
				client.gauge("gauge." + i, -1);
				client.gauge("gauge." + i, i * 10);
				recorded.gauges.put("gauge." + i, i * 10d);
				recorded.entries++;
				recorded.updates += 2;
			}
			recorded.values(client, "timer.long", 23, false);
			recorded.values(client, "timer.short", 5, false);
			recorded.values(client, "histogram", 7, true);
			return recorded;
		}

		private void values(StatsClient client, String name, int count, boolean histogram) {
			List<Double> values = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				double value = 1000 + i;
				if (histogram) {
					client.hist(name, value);
				}
				else {
					client.time(name, value);
				}
				values.add(value);
			}
			(histogram ? this.histograms : this.timers).put(name, values);
			this.entries += count;
			this.updates += count;
		}

		void assertReceivedExactlyOnce(List<Arrival> delivered) {
			ReceivedMetrics received = received(delivered);
			assertThat(received.counters).isEqualTo(this.counters);
			assertThat(received.gauges).isEqualTo(this.gauges);
			// In the order they were recorded, none twice, none missing.
			assertThat(received.timers).isEqualTo(this.timers);
			assertThat(received.histograms).isEqualTo(this.histograms);
		}

	}

	/** One request as the service received it, and its answer. */
	record Arrival(long nanos, String body, int bytes, int status) {

		/**
		 * Entries in the body: one per counter and gauge, one per timer or histogram
		 * value.
		 */
		int entries() {
			ReceivedMetrics metrics = new ReceivedMetrics();
			metrics.add(this.body);
			int values = metrics.timers.values().stream().mapToInt(List::size).sum()
					+ metrics.histograms.values().stream().mapToInt(List::size).sum();
			// A named series without values is no entry, and no request should carry one.
			metrics.timers.values().forEach((series) -> assertThat(series).as(this.body).isNotEmpty());
			metrics.histograms.values().forEach((series) -> assertThat(series).as(this.body).isNotEmpty());
			return metrics.counters.size() + metrics.gauges.size() + values;
		}

	}

	/**
	 * Records when each request arrives, and answers with the status the test chooses.
	 */
	private static final class Service extends Dispatcher {

		private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

		private final AtomicInteger requests = new AtomicInteger();

		private volatile BiFunction<Integer, String, Integer> answer = (index, body) -> 200;

		void answer(BiFunction<Integer, String, Integer> answer) {
			this.answer = answer;
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			long nanos = System.nanoTime();
			byte[] bytes = request.getBody().toByteArray();
			String body = new String(bytes, StandardCharsets.UTF_8);
			int status = this.answer.apply(this.requests.getAndIncrement(), body);
			this.arrivals.add(new Arrival(nanos, body, bytes.length, status));
			return new MockResponse.Builder().code(status).build();
		}

		int received() {
			return this.requests.get();
		}

		List<Arrival> arrivals() {
			return List.copyOf(this.arrivals);
		}

		List<Arrival> delivered() {
			return this.arrivals.stream().filter((arrival) -> arrival.status == 200).toList();
		}

	}

}
