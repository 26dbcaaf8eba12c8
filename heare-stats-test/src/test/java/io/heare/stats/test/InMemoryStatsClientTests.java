package io.heare.stats.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.MetricNames;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.Telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link InMemoryStatsClient}.
 */
class InMemoryStatsClientTests {

	private final InMemoryStatsClient stats = new InMemoryStatsClient();

	@Test
	void sumsCountersKeepsTheLastGaugeAndValuesInOrder() {
		this.stats.incr("orders.created");
		this.stats.incr("orders.created", 2);
		this.stats.decr("orders.created");
		this.stats.gauge("queue.size", 5);
		this.stats.gauge("queue.size", -3);
		this.stats.time("orders.create", 12.5);
		this.stats.time("orders.create", Duration.ofMillis(3));
		this.stats.hist("orders.items", 4);
		this.stats.hist("orders.items", 1);
		RecordedMetrics metrics = this.stats.metrics();
		assertThat(metrics.counters()).containsExactly(entry("orders.created", 2d));
		assertThat(metrics.gauges()).containsExactly(entry("queue.size", -3d));
		assertThat(metrics.timer("orders.create")).containsExactly(12.5, 3d);
		assertThat(metrics.histogram("orders.items")).containsExactly(4d, 1d);
		assertThat(metrics.names()).containsExactly("orders.create", "orders.created", "orders.items", "queue.size");
	}

	@Test
	void namesArePrefixedAndSanitizedByTheCoreRule() {
		InMemoryStatsClient prefixed = new InMemoryStatsClient("my app");
		List<String> names = List.of("orders created", "a:b|c@d", ".leading.and.trailing.", "caf\u00e9");
		names.forEach(prefixed::incr);
		List<String> expected = names.stream().map((name) -> MetricNames.qualify("my app", name)).toList();
		assertThat(prefixed.metrics().counters()).containsOnlyKeys(expected);
		assertThat(prefixed.metrics().counters()).containsOnlyKeys("my_app.orders_created", "my_app.a_b_c_d",
				"my_app.leading.and.trailing", "my_app.caf_");
	}

	@Test
	void namesLongerThanTheWireAllowsAreCutAsTheNetworkClientsCutThem() {
		InMemoryStatsClient prefixed = new InMemoryStatsClient("app");
		String stem = "x".repeat(MetricNames.MAX_LENGTH);
		prefixed.incr(stem + ".first", 2);
		prefixed.incr(stem + ".second", 3);
		prefixed.gauge(stem, 7);
		prefixed.incr("short");
		String wire = "app." + "x".repeat(MetricNames.MAX_LENGTH - "app.".length());
		assertThat(wire).hasSize(200);
		// Both counters have the same first 200 characters: on the wire they are one
		// metric.
		assertThat(prefixed.metrics().counters()).containsOnlyKeys(wire, "app.short");
		assertThat(prefixed.metrics().counters()).containsEntry(wire, 5.0);
		assertThat(prefixed.metrics().gauges()).containsOnlyKeys(wire);
		assertThat(prefixed.telemetry().truncatedNames()).as("one counter and one gauge were cut").isEqualTo(2);
		assertThat(prefixed.metrics().counters().keySet())
			.allSatisfy((name) -> assertThat(name).isEqualTo(MetricNames.limit(name)));
		prefixed.reset();
		assertThat(prefixed.telemetry().truncatedNames()).isZero();
	}

	@Test
	void aCutNameLosesTheDotsTheCutLeavesAtItsEnd() {
		InMemoryStatsClient client = new InMemoryStatsClient();
		String name = "a".repeat(MetricNames.MAX_LENGTH - 2) + "..tail";
		client.incr(name);
		assertThat(client.metrics().counters()).containsOnlyKeys("a".repeat(MetricNames.MAX_LENGTH - 2));
	}

	@Test
	void dropsAndCountsWhatANetworkClientWouldDrop() {
		this.stats.incr("...");
		this.stats.incr(null);
		this.stats.time("orders.create", Double.NaN);
		this.stats.hist("orders.items", Double.POSITIVE_INFINITY);
		this.stats.incr("orders.created");
		Telemetry telemetry = this.stats.telemetry();
		assertThat(telemetry.recorded()).isEqualTo(1);
		assertThat(telemetry.dropped(DropReason.INVALID_NAME)).isEqualTo(2);
		assertThat(telemetry.dropped(DropReason.INVALID_VALUE)).isEqualTo(2);
		assertThat(this.stats.metrics().names()).containsExactly("orders.created");
	}

	@Test
	void keepsEverySampledUpdateAtItsValue() {
		for (int i = 0; i < 100; i++) {
			this.stats.incr("sampled", 1, 0.01);
			this.stats.time("sampled.time", i, 0.01);
		}
		assertThat(this.stats.metrics().counter("sampled")).isEqualTo(100);
		assertThat(this.stats.metrics().timer("sampled.time")).hasSize(100);
	}

	@Test
	void pipelineHandsItsEntriesOverOnlyWhenClosedAndOnlyOnce() {
		Pipeline pipeline = this.stats.pipeline();
		pipeline.incr("orders.created").time("orders.create", 7).gauge("queue.size", 1).hist("orders.items", 2);
		assertThat(this.stats.metrics().isEmpty()).isTrue();
		pipeline.close();
		pipeline.close();
		pipeline.incr("orders.created");
		RecordedMetrics metrics = this.stats.metrics();
		assertThat(metrics.counter("orders.created")).isEqualTo(1);
		assertThat(metrics.timer("orders.create")).containsExactly(7d);
		assertThat(metrics.gauge("queue.size")).hasValue(1);
		assertThat(metrics.histogram("orders.items")).containsExactly(2d);
		assertThat(metrics.pipelines()).isEqualTo(1);
	}

	@Test
	void losesNoUpdateFromConcurrentThreads() throws Exception {
		int threads = 8;
		int perThread = 5_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Void>> done = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			done.add(CompletableFuture.runAsync(() -> {
				await(start);
				for (int i = 0; i < perThread; i++) {
					this.stats.incr("requests");
					try (Pipeline pipe = this.stats.pipeline()) {
						pipe.incr("piped").time("piped.time", i);
					}
				}
			}, executor));
		}
		start.countDown();
		CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		executor.shutdown();
		RecordedMetrics metrics = this.stats.metrics();
		assertThat(metrics.counter("requests")).isEqualTo(threads * perThread);
		assertThat(metrics.counter("piped")).isEqualTo(threads * perThread);
		assertThat(metrics.timer("piped.time")).hasSize(threads * perThread);
		assertThat(metrics.pipelines()).isEqualTo(threads * perThread);
	}

	@Test
	void resetForgetsEverythingRecordedAndDropped() {
		this.stats.incr("orders.created");
		this.stats.incr("");
		this.stats.reset();
		assertThat(this.stats.metrics().isEmpty()).isTrue();
		assertThat(this.stats.telemetry().recorded()).isZero();
		assertThat(this.stats.telemetry().droppedTotal()).isZero();
		this.stats.incr("orders.created");
		assertThat(this.stats.metrics().counter("orders.created")).isEqualTo(1);
	}

	@Test
	void dropsAndCountsUpdatesAfterClose() {
		this.stats.incr("before");
		this.stats.close();
		this.stats.incr("after");
		try (Pipeline pipe = this.stats.pipeline()) {
			pipe.incr("after.piped");
		}
		assertThat(this.stats.metrics().names()).containsExactly("before");
		assertThat(this.stats.telemetry().dropped(DropReason.CLOSED)).isEqualTo(2);
		assertThat(this.stats.flush()).isTrue();
	}

	@Test
	void awaitReturnsAsSoonAsAnotherThreadRecordsWhatIsExpected() {
		CompletableFuture.runAsync(() -> this.stats.incr("late"),
				CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
		long start = System.nanoTime();
		RecordedMetrics metrics = this.stats.await((recorded) -> recorded.counter("late") == 1, Duration.ofSeconds(30));
		assertThat(metrics.counter("late")).isEqualTo(1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
	}

	@Test
	void awaitGivesUpAfterTheTimeoutWithTheLastSnapshot() {
		this.stats.incr("present");
		RecordedMetrics metrics = this.stats.await((recorded) -> recorded.counter("absent") == 1,
				Duration.ofMillis(50));
		assertThat(metrics.names()).containsExactly("present");
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
