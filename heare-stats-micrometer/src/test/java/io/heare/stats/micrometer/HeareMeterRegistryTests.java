package io.heare.stats.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.heare.stats.micrometer.RecordingStatsClient.Update;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HeareMeterRegistry}: what each kind of meter hands to the client, and
 * when.
 */
class HeareMeterRegistryTests {

	private final RecordingStatsClient client = new RecordingStatsClient();

	private final MockClock clock = new MockClock();

	private HeareMeterRegistry registry = registry(HeareConfig.DEFAULT);

	@AfterEach
	void close() {
		this.registry.close();
	}

	private HeareMeterRegistry registry(HeareConfig config) {
		return HeareMeterRegistry.builder(config, this.client).clock(this.clock).build();
	}

	private static HeareConfig config(Map<String, String> settings) {
		return settings::get;
	}

	@Test
	void countersAreSentAsTheyAreIncremented() {
		Counter counter = this.registry.counter("orders.created", "region", "eu");
		counter.increment();
		counter.increment(2.5);
		assertThat(this.client.updates()).containsExactly(Update.incr("orders.created.region.eu", 1),
				Update.incr("orders.created.region.eu", 2.5));
		assertThat(counter.count()).isEqualTo(3.5);
	}

	@Test
	void incrementsOfZeroAreNotSent() {
		this.registry.counter("orders.created").increment(0);
		assertThat(this.client.updates()).isEmpty();
	}

	@Test
	void timersAreSentInMillisecondsAsTheyAreRecorded() {
		Timer timer = this.registry.timer("db.query", "table", "orders");
		timer.record(1500, TimeUnit.MICROSECONDS);
		timer.record(Duration.ofSeconds(2));
		assertThat(this.client.updates()).containsExactly(Update.time("db.query.table.orders", 1.5),
				Update.time("db.query.table.orders", 2000));
		assertThat(timer.count()).isEqualTo(2);
		assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(2000);
	}

	@Test
	void timedCodeIsSentWithTheDurationTheClockMeasured() {
		Timer timer = this.registry.timer("job");
		timer.record(() -> this.clock.add(Duration.ofMillis(40)));
		assertThat(this.client.updates()).containsExactly(Update.time("job", 40));
	}

	@Test
	void negativeDurationsAreNeitherSentNorCounted() {
		Timer timer = this.registry.timer("db.query");
		timer.record(-1, TimeUnit.MILLISECONDS);
		assertThat(this.client.updates()).isEmpty();
		assertThat(timer.count()).isZero();
	}

	@Test
	void distributionSummariesAreSentAsHistogramValuesAfterScaling() {
		DistributionSummary summary = DistributionSummary.builder("payload.size").scale(2).register(this.registry);
		summary.record(512);
		summary.record(-1);
		assertThat(this.client.updates()).containsExactly(Update.hist("payload.size", 1024));
		assertThat(summary.totalAmount()).isEqualTo(1024);
	}

	@Test
	void gaugesAreSentWhenTheStepIsPublishedNotWhenTheyChange() {
		AtomicInteger queue = this.registry.gauge("jobs.queue", new AtomicInteger(3));
		assertThat(this.client.updates()).isEmpty();
		this.registry.publish();
		queue.set(7);
		this.registry.publish();
		assertThat(this.client.batches()).containsExactly(List.of(Update.gauge("jobs.queue", 3)),
				List.of(Update.gauge("jobs.queue", 7)));
	}

	@Test
	void polledMetersOfOneStepAreSentAsOneBatch() {
		this.registry.gauge("a", new AtomicInteger(1));
		this.registry.gauge("b", new AtomicInteger(2));
		FunctionCounter.builder("c", new AtomicLong(3), AtomicLong::get).register(this.registry);
		this.registry.publish();
		assertThat(this.client.batches()).singleElement()
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactlyInAnyOrder(Update.gauge("a", 1), Update.gauge("b", 2), Update.incr("c", 3));
	}

	@Test
	void clientSidePercentilesAskedForAreSentAsGaugesBesideTheValues() {
		Timer timer = Timer.builder("db.query").publishPercentiles(0.5).register(this.registry);
		timer.record(Duration.ofMillis(8));
		this.registry.publish();
		assertThat(this.client.updates()).first().isEqualTo(Update.time("db.query", 8));
		assertThat(this.client.updates()).filteredOn((update) -> update.kind().equals("gauge"))
			.singleElement()
			.satisfies((update) -> {
				assertThat(update.name()).isEqualTo("db.query.percentile.phi.0_5");
				assertThat(update.value()).isCloseTo(8, org.assertj.core.api.Assertions.within(0.5));
			});
	}

	@Test
	void gaugesWithoutAFiniteValueAreNotSent() {
		Gauge.builder("ratio", () -> Double.NaN).register(this.registry);
		Gauge.builder("inf", () -> Double.POSITIVE_INFINITY).register(this.registry);
		this.registry.publish();
		assertThat(this.client.updates()).isEmpty();
	}

	@Test
	void timeGaugesAreSentInMilliseconds() {
		TimeGauge.builder("uptime", () -> 3, TimeUnit.SECONDS).register(this.registry);
		this.registry.publish();
		assertThat(this.client.updates()).containsExactly(Update.gauge("uptime", 3000));
	}

	@Test
	void functionCountersAreSentAsIncrementsOfWhatTheyGrewBy() {
		AtomicLong requests = new AtomicLong(5);
		FunctionCounter.builder("pool.requests", requests, AtomicLong::get).register(this.registry);
		this.registry.publish();
		requests.set(8);
		this.registry.publish();
		this.registry.publish();
		requests.set(2);
		this.registry.publish();
		requests.set(4);
		this.registry.publish();
		assertThat(this.client.updates()).containsExactly(Update.incr("pool.requests", 5),
				Update.incr("pool.requests", 3), Update.incr("pool.requests", 2));
	}

	@Test
	void functionTimersAreSentAsIncrementsOfCountAndTotalTimeInMilliseconds() {
		AtomicLong count = new AtomicLong(2);
		AtomicLong totalSeconds = new AtomicLong(3);
		FunctionTimer.builder("cache.load", this, (o) -> count.get(), (o) -> totalSeconds.get(), TimeUnit.SECONDS)
			.tag("cache", "books")
			.register(this.registry);
		this.registry.publish();
		count.set(5);
		totalSeconds.set(4);
		this.registry.publish();
		assertThat(this.client.updates()).containsExactly(Update.incr("cache.load.cache.books.statistic.count", 2),
				Update.incr("cache.load.cache.books.statistic.total", 3000),
				Update.incr("cache.load.cache.books.statistic.count", 3),
				Update.incr("cache.load.cache.books.statistic.total", 1000));
	}

	@Test
	void longTaskTimersAreSentAsGaugesOfActiveTasksAndTheirDurations() {
		LongTaskTimer timer = this.registry.more().longTaskTimer("import");
		timer.start();
		this.clock.add(Duration.ofSeconds(2));
		timer.start();
		this.clock.add(Duration.ofSeconds(1));
		this.registry.publish();
		assertThat(this.client.updates()).containsExactlyInAnyOrder(Update.gauge("import.statistic.active", 2),
				Update.gauge("import.statistic.duration", 4000), Update.gauge("import.statistic.max", 3000));
	}

	@Test
	void customMetersSendCumulativeStatisticsAsIncrementsAndOthersAsGauges() {
		AtomicLong total = new AtomicLong(10);
		Meter.builder("custom", Meter.Type.OTHER,
				List.of(new Measurement(total::get, Statistic.TOTAL), new Measurement(() -> 0.5, Statistic.VALUE)))
			.register(this.registry);
		this.registry.publish();
		total.set(25);
		this.registry.publish();
		assertThat(this.client.updates()).containsExactly(Update.incr("custom.statistic.total", 10),
				Update.gauge("custom.statistic.value", 0.5), Update.incr("custom.statistic.total", 15),
				Update.gauge("custom.statistic.value", 0.5));
	}

	@Test
	void aMeterThatFailsToReadDoesNotStopTheOthers() {
		Gauge.builder("broken", () -> {
			throw new IllegalStateException("boom");
		}).register(this.registry);
		this.registry.gauge("fine", new AtomicInteger(1));
		this.registry.publish();
		assertThat(this.client.updates()).containsExactly(Update.gauge("fine", 1));
	}

	@Test
	void removedMetersAreNoLongerRead() {
		Gauge gauge = Gauge.builder("gone", () -> 1).register(this.registry);
		this.registry.remove(gauge);
		this.registry.publish();
		assertThat(this.client.updates()).isEmpty();
	}

	@Test
	void closingReadsThePolledMetersOnceMoreAndLeavesTheClientOpen() {
		this.registry.gauge("jobs.queue", new AtomicInteger(4));
		this.registry.close();
		assertThat(this.client.updates()).containsExactly(Update.gauge("jobs.queue", 4));
		assertThat(this.client.closed()).isFalse();
	}

	@Test
	void thePublishingThreadReadsPolledMetersEveryStep() {
		this.registry.close();
		this.registry = HeareMeterRegistry.builder(config(Map.of("heare.step", "100ms")), this.client).build();
		AtomicInteger value = this.registry.gauge("live", new AtomicInteger(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.updates().contains(Update.gauge("live", 1)));
		value.set(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.updates().contains(Update.gauge("live", 2)));
	}

	@Test
	void aDisabledRegistrySendsNothingButKeepsItsStatistics() {
		this.registry.close();
		this.client.clear();
		this.registry = registry(config(Map.of("heare.enabled", "false")));
		Counter counter = this.registry.counter("orders");
		counter.increment();
		this.registry.gauge("g", new AtomicInteger(1));
		this.registry.close();
		assertThat(this.client.updates()).isEmpty();
		assertThat(counter.count()).isEqualTo(1);
	}

	@Test
	void allowedTagsKeepOnlyTheListedKeysOfMatchingMeters() {
		this.registry.close();
		this.registry = registry(config(Map.of("heare.allowedTags", "http.server.requests=method|status")));
		this.registry.timer("http.server.requests", "method", "GET", "status", "200", "uri", "/a")
			.record(1, TimeUnit.MILLISECONDS);
		this.registry.timer("http.server.requests", "method", "GET", "status", "200", "uri", "/b")
			.record(2, TimeUnit.MILLISECONDS);
		this.registry.timer("http.client.requests", "uri", "/c").record(3, TimeUnit.MILLISECONDS);
		assertThat(this.client.updates()).containsExactly(Update.time("http.server.requests.method.GET.status.200", 1),
				Update.time("http.server.requests.method.GET.status.200", 2),
				Update.time("http.client.requests.uri._c", 3));
		assertThat(this.registry.get("http.server.requests").timer().count()).isEqualTo(2);
	}

	@Test
	void deniedTagsAreDroppedByTheLongestMatchingNameAndAllAppliesToTheRest() {
		this.registry.close();
		this.registry = registry(config(Map.of("heare.deniedTags", "all=application,jvm.memory=id,jvm=area")));
		this.registry.counter("jvm.memory.used", "application", "shop", "area", "heap", "id", "eden").increment();
		this.registry.counter("jvm.threads", "application", "shop", "area", "x").increment();
		this.registry.counter("orders", "application", "shop", "area", "x").increment();
		assertThat(this.client.updates()).extracting(Update::name)
			.containsExactly("jvm.memory.used.application.shop.area.heap", "jvm.threads.application.shop",
					"orders.area.x");
	}

}
