package io.heare.stats.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.heare.stats.client.MockWebServers.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every recording method of a client delivers what it records, and that after
 * {@link StatsClient#close()} each of them drops and counts its update instead.
 */
class RecordingMethodsTests {

	@StartStop
	final MockWebServer server = new MockWebServer();

	private final List<StatsClient> clients = new ArrayList<>();

	@BeforeEach
	void acceptEveryRequest() {
		QueueDispatcher dispatcher = new QueueDispatcher();
		dispatcher.setFailFast(new MockResponse.Builder().code(200).build());
		this.server.setDispatcher(dispatcher);
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(StatsClient::close);
	}

	private StatsClient client() {
		return client(StatsClientConfig.CLOSE_ON_SHUTDOWN, false);
	}

	// A client with prefix "app" and one more setting.
	private <T> StatsClient client(StatsClientConfig.Setting<T> setting, T value) {
		StatsClient client = StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(this.server.getPort())
			.secret("s3cret")
			.prefix("app")
			.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false)
			.set(setting, value)
			.build());
		this.clients.add(client);
		return client;
	}

	@Test
	void everyRecordingMethodDeliversItsUpdate() throws Exception {
		StatsClient client = client();
		client.incr("one");
		client.incr("many", 2.5);
		client.incr("rate.one", 4, 1.0);
		client.decr("down");
		client.decr("down.many", 3);
		client.time("t", 12.5);
		client.time("t.rate.one", 7, 1.0);
		client.time("t.duration", Duration.ofMillis(3));
		client.gauge("g", -4);
		client.hist("h", 512);
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters).containsExactlyInAnyOrderEntriesOf(
				Map.of("app.one", 1d, "app.many", 2.5, "app.rate.one", 4d, "app.down", -1d, "app.down.many", -3d));
		assertThat(received.timers).containsExactlyInAnyOrderEntriesOf(
				Map.of("app.t", List.of(12.5), "app.t.rate.one", List.of(7d), "app.t.duration", List.of(3d)));
		assertThat(received.gauges).containsExactlyInAnyOrderEntriesOf(Map.of("app.g", -4d));
		assertThat(received.histograms).containsExactlyInAnyOrderEntriesOf(Map.of("app.h", List.of(512d)));
		assertThat(client.telemetry().recorded()).isEqualTo(10);
		assertThat(client.telemetry().droppedTotal()).isZero();
	}

	@Test
	void boundMetricsDeliverIntoTheMetricsOfTheirNames() throws Exception {
		StatsClient client = client();
		Counter counter = client.counter("one");
		counter.incr();
		counter.incr(2.5);
		client.incr("one");
		Timer timer = client.timer("t");
		timer.time(12.5);
		timer.time(Duration.ofMillis(3));
		client.time("t", 4);
		Histogram histogram = client.histogram("h");
		histogram.hist(512);
		client.hist("h", 8);
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters).containsExactlyInAnyOrderEntriesOf(Map.of("app.one", 4.5));
		assertThat(received.timers).containsExactlyInAnyOrderEntriesOf(Map.of("app.t", List.of(12.5, 3d, 4d)));
		assertThat(received.histograms).containsExactlyInAnyOrderEntriesOf(Map.of("app.h", List.of(512d, 8d)));
		assertThat(client.telemetry().recorded()).isEqualTo(8);
		assertThat(client.telemetry().delivered()).isEqualTo(8);
	}

	@Test
	void boundMetricsCountInvalidNamesAndValuesAsDroppedAndSendNothingForThem() throws Exception {
		StatsClient client = client();
		client.counter(null).incr();
		client.counter("").incr(2);
		client.timer(null).time(Double.NaN);
		client.histogram("...").hist(1);
		client.counter("c").incr(Double.NaN);
		client.timer("t").time(Double.POSITIVE_INFINITY);
		Histogram histogram = client.histogram("h");
		histogram.hist(1);
		histogram.hist(Double.NaN);
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters).isEmpty();
		assertThat(received.timers).isEmpty();
		assertThat(received.histograms).containsExactlyInAnyOrderEntriesOf(Map.of("app.h", List.of(1d)));
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.INVALID_NAME)).isEqualTo(4);
		assertThat(telemetry.dropped(DropReason.INVALID_VALUE)).isEqualTo(3);
		assertThat(telemetry.delivered()).isEqualTo(1);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void boundMetricsPastTheNameLimitAreDroppedOnEveryUpdateAndCounted() throws Exception {
		StatsClient client = client(StatsClientConfig.MAX_NAMES, 1);
		client.counter("first").incr();
		Counter over = client.counter("second");
		over.incr();
		over.incr();
		client.timer("third").time(1);
		assertThat(client.flush()).isFalse();
		assertThat(receivedSoFar().counters).containsExactlyInAnyOrderEntriesOf(Map.of("app.first", 1d));
		assertThat(client.telemetry().dropped(DropReason.NAME_LIMIT)).isEqualTo(3);
	}

	@Test
	void aBoundCounterSharedByThreadsLosesNoUpdate() throws Exception {
		StatsClient client = client();
		Counter counter = client.counter("shared");
		Timer timer = client.timer("shared.time");
		int threads = 4;
		int perThread = 10_000;
		List<Thread> started = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread thread = new Thread(() -> {
				for (int i = 0; i < perThread; i++) {
					counter.incr();
					timer.time(1);
				}
			});
			thread.start();
			started.add(thread);
		}
		for (Thread thread : started) {
			thread.join();
		}
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters.get("app.shared")).isEqualTo(threads * perThread);
		assertThat(received.timers.get("app.shared.time")).hasSize(threads * perThread);
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.recorded()).isEqualTo(2L * threads * perThread);
		assertThat(telemetry.delivered()).isEqualTo(telemetry.recorded());
	}

	@Test
	void aBoundGroupDeliversEveryValueToEachTimerAndCountsItInEachCounter() throws Exception {
		StatsClient client = client();
		Timer group = client.timer(List.of("route.time", "response.time"), List.of("total", "status.200"));
		group.time(1.5);
		group.time(2);
		group.time(Duration.ofMillis(3));
		client.incr("total");
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters).containsExactlyInAnyOrderEntriesOf(Map.of("app.total", 4d, "app.status.200", 3d));
		assertThat(received.timers).containsExactlyInAnyOrderEntriesOf(
				Map.of("app.route.time", List.of(1.5, 2d, 3d), "app.response.time", List.of(1.5, 2d, 3d)));
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.recorded()).isEqualTo(4 * 3 + 1);
		assertThat(telemetry.delivered()).isEqualTo(4 * 3 + 1);
	}

	@Test
	void aBoundGroupWithAnInvalidNameRecordsTheOthersAndCountsTheInvalidOnEveryCall() throws Exception {
		StatsClient client = client();
		Timer group = client.timer(List.of("ok.time", "..."), List.of("ok.count"));
		for (int i = 0; i < 3; i++) {
			group.time(1);
		}
		group.time(Double.NaN);
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters).containsExactlyInAnyOrderEntriesOf(Map.of("app.ok.count", 4d));
		assertThat(received.timers).containsExactlyInAnyOrderEntriesOf(Map.of("app.ok.time", List.of(1d, 1d, 1d)));
		Telemetry telemetry = client.telemetry();
		// A value that is not finite is invalid for both timers, whatever their names.
		assertThat(telemetry.dropped(DropReason.INVALID_NAME)).isEqualTo(3);
		assertThat(telemetry.dropped(DropReason.INVALID_VALUE)).isEqualTo(2);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void aBoundGroupFromMoreLiveThreadsThanLanesLosesNoUpdate() throws Exception {
		StatsClient client = client();
		Timer group = client.timer(List.of("g.time"), List.of("g.count"));
		// More threads alive at once than there are lanes: some share a lane's slot with
		// a live owner and record each metric on its own.
		int threads = ValueLanes.LANES + 64;
		int perThread = 100;
		CountDownLatch recorded = new CountDownLatch(threads);
		CountDownLatch release = new CountDownLatch(1);
		List<Thread> started = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread thread = new Thread(() -> {
				for (int i = 0; i < perThread; i++) {
					group.time(2);
				}
				recorded.countDown();
				awaitQuietly(release);
			});
			thread.start();
			started.add(thread);
		}
		assertThat(recorded.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(client.flush()).isTrue();
		release.countDown();
		for (Thread thread : started) {
			thread.join();
		}
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters)
			.containsExactlyInAnyOrderEntriesOf(Map.of("app.g.count", (double) threads * perThread));
		assertThat(received.timers.get("app.g.time")).hasSize(threads * perThread);
		assertThat(client.telemetry().droppedTotal()).isZero();
	}

	@Test
	void aBoundGroupPastTheNameLimitRecordsTheNamesThatFitAndCountsTheRestOnEveryValue() throws Exception {
		StatsClient client = client(StatsClientConfig.MAX_NAMES, 2);
		Timer group = client.timer(List.of("a.time", "b.time"), List.of("c.count"));
		for (int i = 0; i < 5; i++) {
			group.time(1);
		}
		assertThat(client.flush()).isFalse();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.timers).containsExactlyInAnyOrderEntriesOf(
				Map.of("app.a.time", List.of(1d, 1d, 1d, 1d, 1d), "app.b.time", List.of(1d, 1d, 1d, 1d, 1d)));
		assertThat(received.counters).isEmpty();
		assertThat(client.telemetry().dropped(DropReason.NAME_LIMIT)).isEqualTo(5);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void aBoundGroupOverThePendingValueLimitStillCountsEveryValueInItsCounters() throws Exception {
		StatsClient client = client(StatsClientConfig.MAX_PENDING_VALUES, 100);
		Timer group = client.timer(List.of("a.time", "b.time"), List.of("count"));
		int calls = 200_000;
		for (int i = 0; i < calls; i++) {
			group.time(1);
		}
		client.flush();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters).containsExactlyInAnyOrderEntriesOf(Map.of("app.count", (double) calls));
		int timerValues = received.timers.values().stream().mapToInt(List::size).sum();
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.VALUE_LIMIT)).isPositive();
		assertThat(telemetry.recorded()).isEqualTo(3L * calls);
		assertThat(telemetry.delivered()).isEqualTo(calls + timerValues);
		assertThat(telemetry.droppedTotal()).isEqualTo(2L * calls - timerValues);
	}

	@Test
	void sampledUpdatesArriveScaledOrWithTheirValues() throws Exception {
		StatsClient client = client();
		int calls = 10_000;
		for (int i = 0; i < calls; i++) {
			client.incr("sampled.count", 1, 0.5);
			client.time("sampled.time", 5, 0.5);
		}
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		// About half are sampled in, each counted twice: ten standard deviations either
		// side.
		assertThat(received.counters.get("app.sampled.count")).isBetween(9_000d, 11_000d);
		assertThat(received.timers.get("app.sampled.time")).hasSizeBetween(4_500, 5_500).containsOnly(5d);
		// Updates are the calls sampled in: each counter increment arrived as 2.
		long sampledIn = received.counters.get("app.sampled.count").longValue() / 2
				+ received.timers.get("app.sampled.time").size();
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.recorded()).isEqualTo(sampledIn);
		assertThat(telemetry.delivered()).isEqualTo(sampledIn);
		assertThat(telemetry.droppedTotal()).isZero();
	}

	@Test
	void afterCloseEveryRecordingMethodCountsItsUpdateAsDroppedAndSendsNothing() throws Exception {
		StatsClient client = client();
		Counter counter = client.counter("bound");
		Timer timer = client.timer("bound.t");
		Histogram histogram = client.histogram("bound.h");
		Timer group = client.timer(List.of("bound.g"), List.of("bound.g.count"));
		group.time(1);
		group.time(1);
		assertThat(client.flush()).isTrue();
		receivedSoFar();
		long before = client.telemetry().recorded();
		client.close();
		counter.incr();
		timer.time(1);
		histogram.hist(1);
		group.time(1);
		client.incr("a");
		client.incr("a", 2);
		client.incr("a", 2, 0.5);
		client.decr("a");
		client.time("t", 1);
		client.time("t", 1, 0.5);
		client.time("t", Duration.ofMillis(1));
		client.gauge("g", 1);
		client.hist("h", 1);
		try (Pipeline pipe = client.pipeline()) {
			pipe.incr("p").gauge("p.g", 1).time("p.t", 1);
		}
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.CLOSED)).isEqualTo(3 + 2 + 9 + 3);
		assertThat(telemetry.droppedTotal()).isEqualTo(3 + 2 + 9 + 3);
		// Dropped at once: recorded and dropped, never delivered, nothing unaccounted
		// for.
		assertThat(telemetry.recorded() - before).isEqualTo(3 + 2 + 9 + 3);
		assertThat(telemetry.delivered()).isEqualTo(before);
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(client.flush()).isFalse();
		assertThat(this.server.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
	}

	private ReceivedMetrics receivedSoFar() throws InterruptedException {
		ReceivedMetrics received = new ReceivedMetrics();
		RecordedRequest request;
		while ((request = this.server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
			received.add(body(request));
		}
		return received;
	}

}
