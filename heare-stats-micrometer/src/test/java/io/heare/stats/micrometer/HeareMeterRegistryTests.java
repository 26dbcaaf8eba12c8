package io.heare.stats.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.heare.stats.client.Telemetry;
import io.heare.stats.test.InMemoryStatsClient;
import io.heare.stats.test.StatsAssert;
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
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link HeareMeterRegistry}: what each kind of meter hands to the client, and
 * when.
 */
class HeareMeterRegistryTests {

	private final InMemoryStatsClient client = new InMemoryStatsClient();

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

	// The registry sends on the caller's thread or in publish(), so nothing is waited
	// for.
	private StatsAssert assertThatClient() {
		return StatsAssert.assertThat(this.client).immediately();
	}

	// A sum or a last value alone does not show how many updates made it: with their
	// count (none dropped) and the names recorded, the values pin down every update that
	// was sent.
	private void assertUpdates(long count, String... names) {
		Telemetry telemetry = this.client.telemetry();
		assertThat(telemetry.recorded()).as("updates recorded").isEqualTo(count);
		assertThat(telemetry.droppedTotal()).as("updates dropped").isZero();
		assertThat(this.client.metrics().names()).as("names recorded").containsExactlyInAnyOrder(names);
	}

	private void assertNothingSent() {
		assertThatClient().hasNothingRecorded();
		assertUpdates(0);
	}

	@Test
	void countersAreSentAsTheyAreIncremented() {
		Counter counter = this.registry.counter("orders.created", "region", "eu");
		counter.increment();
		assertThatClient().counter("orders.created.region.eu").isEqualTo(1);
		counter.increment(2.5);
		assertThatClient().counter("orders.created.region.eu").isEqualTo(3.5);
		assertUpdates(2, "orders.created.region.eu");
		assertThat(counter.count()).isEqualTo(3.5);
	}

	@Test
	void incrementsOfZeroAreNotSent() {
		this.registry.counter("orders.created").increment(0);
		assertNothingSent();
	}

	@Test
	void timersAreSentInMillisecondsAsTheyAreRecorded() {
		Timer timer = this.registry.timer("db.query", "table", "orders");
		timer.record(1500, TimeUnit.MICROSECONDS);
		timer.record(Duration.ofSeconds(2));
		assertThatClient().timer("db.query.table.orders").hasValues(1.5, 2000);
		assertUpdates(2, "db.query.table.orders");
		assertThat(timer.count()).isEqualTo(2);
		assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(2000);
	}

	@Test
	void timedCodeIsSentWithTheDurationTheClockMeasured() {
		Timer timer = this.registry.timer("job");
		timer.record(() -> this.clock.add(Duration.ofMillis(40)));
		assertThatClient().timer("job").hasValues(40);
		assertUpdates(1, "job");
	}

	@Test
	void negativeDurationsAreNeitherSentNorCounted() {
		Timer timer = this.registry.timer("db.query");
		timer.record(-1, TimeUnit.MILLISECONDS);
		assertNothingSent();
		assertThat(timer.count()).isZero();
	}

	@Test
	void distributionSummariesAreSentAsHistogramValuesAfterScaling() {
		DistributionSummary summary = DistributionSummary.builder("payload.size").scale(2).register(this.registry);
		summary.record(512);
		summary.record(-1);
		assertThatClient().histogram("payload.size").hasValues(1024);
		assertUpdates(1, "payload.size");
		assertThat(summary.totalAmount()).isEqualTo(1024);
	}

	@Test
	void gaugesAreSentWhenTheStepIsPublishedNotWhenTheyChange() {
		AtomicInteger queue = this.registry.gauge("jobs.queue", new AtomicInteger(3));
		assertNothingSent();
		this.registry.publish();
		assertThatClient().gauge("jobs.queue").isEqualTo(3);
		assertThat(this.client.metrics().pipelines()).isOne();
		assertUpdates(1, "jobs.queue");
		this.client.reset();
		queue.set(7);
		this.registry.publish();
		assertThatClient().gauge("jobs.queue").isEqualTo(7);
		assertThat(this.client.metrics().pipelines()).isOne();
		assertUpdates(1, "jobs.queue");
	}

	@Test
	void polledMetersOfOneStepAreSentAsOneBatch() {
		this.registry.gauge("a", new AtomicInteger(1));
		this.registry.gauge("b", new AtomicInteger(2));
		FunctionCounter.builder("c", new AtomicLong(3), AtomicLong::get).register(this.registry);
		assertNothingSent();
		this.registry.publish();
		assertThat(this.client.metrics().pipelines()).isOne();
		assertThatClient().gauge("a").isEqualTo(1);
		assertThatClient().gauge("b").isEqualTo(2);
		assertThatClient().counter("c").isEqualTo(3);
		assertUpdates(3, "a", "b", "c");
	}

	@Test
	void clientSidePercentilesAskedForAreSentAsGaugesBesideTheValues() {
		Timer timer = Timer.builder("db.query").publishPercentiles(0.5).register(this.registry);
		timer.record(Duration.ofMillis(8));
		assertThatClient().timer("db.query").hasValues(8);
		assertUpdates(1, "db.query");
		this.client.reset();
		this.registry.publish();
		assertThatClient().gauge("db.query.percentile.phi.0_5").value().isCloseTo(8, within(0.5));
		assertUpdates(1, "db.query.percentile.phi.0_5");
	}

	@Test
	void gaugesWithoutAFiniteValueAreNotSent() {
		Gauge.builder("ratio", () -> Double.NaN).register(this.registry);
		Gauge.builder("inf", () -> Double.POSITIVE_INFINITY).register(this.registry);
		this.registry.publish();
		assertNothingSent();
	}

	@Test
	void timeGaugesAreSentInMilliseconds() {
		TimeGauge.builder("uptime", () -> 3, TimeUnit.SECONDS).register(this.registry);
		this.registry.publish();
		assertThatClient().gauge("uptime").isEqualTo(3000);
		assertUpdates(1, "uptime");
	}

	@Test
	void functionCountersAreSentAsIncrementsOfWhatTheyGrewBy() {
		AtomicLong requests = new AtomicLong(5);
		FunctionCounter.builder("pool.requests", requests, AtomicLong::get).register(this.registry);
		this.registry.publish();
		assertThatClient().counter("pool.requests").isEqualTo(5);
		assertUpdates(1, "pool.requests");
		requests.set(8);
		this.registry.publish();
		assertThatClient().counter("pool.requests").isEqualTo(8);
		assertUpdates(2, "pool.requests");
		this.registry.publish();
		requests.set(2);
		this.registry.publish();
		assertUpdates(2, "pool.requests");
		requests.set(4);
		this.registry.publish();
		assertThatClient().counter("pool.requests").isEqualTo(10);
		assertUpdates(3, "pool.requests");
	}

	@Test
	void functionTimersAreSentAsIncrementsOfCountAndTotalTimeInMilliseconds() {
		AtomicLong count = new AtomicLong(2);
		AtomicLong totalSeconds = new AtomicLong(3);
		FunctionTimer.builder("cache.load", this, (o) -> count.get(), (o) -> totalSeconds.get(), TimeUnit.SECONDS)
			.tag("cache", "books")
			.register(this.registry);
		String countName = "cache.load.cache.books.statistic.count";
		String totalName = "cache.load.cache.books.statistic.total";
		this.registry.publish();
		assertThatClient().counter(countName).isEqualTo(2);
		assertThatClient().counter(totalName).isEqualTo(3000);
		assertUpdates(2, countName, totalName);
		count.set(5);
		totalSeconds.set(4);
		this.registry.publish();
		assertThatClient().counter(countName).isEqualTo(5);
		assertThatClient().counter(totalName).isEqualTo(4000);
		assertUpdates(4, countName, totalName);
	}

	@Test
	void longTaskTimersAreSentAsGaugesOfActiveTasksAndTheirDurations() {
		LongTaskTimer timer = this.registry.more().longTaskTimer("import");
		timer.start();
		this.clock.add(Duration.ofSeconds(2));
		timer.start();
		this.clock.add(Duration.ofSeconds(1));
		this.registry.publish();
		assertThatClient().gauge("import.statistic.active").isEqualTo(2);
		assertThatClient().gauge("import.statistic.duration").isEqualTo(4000);
		assertThatClient().gauge("import.statistic.max").isEqualTo(3000);
		assertUpdates(3, "import.statistic.active", "import.statistic.duration", "import.statistic.max");
	}

	@Test
	void customMetersSendCumulativeStatisticsAsIncrementsAndOthersAsGauges() {
		AtomicLong total = new AtomicLong(10);
		Meter
			.builder("custom", Meter.Type.OTHER,
					List.of(new Measurement(total::get, Statistic.TOTAL), new Measurement(() -> 0.5, Statistic.VALUE)))
			.register(this.registry);
		this.registry.publish();
		assertThatClient().counter("custom.statistic.total").isEqualTo(10);
		assertThatClient().gauge("custom.statistic.value").isEqualTo(0.5);
		assertUpdates(2, "custom.statistic.total", "custom.statistic.value");
		this.client.reset();
		total.set(25);
		this.registry.publish();
		assertThatClient().counter("custom.statistic.total").isEqualTo(15);
		assertThatClient().gauge("custom.statistic.value").isEqualTo(0.5);
		assertUpdates(2, "custom.statistic.total", "custom.statistic.value");
	}

	@Test
	void aMeterThatFailsToReadDoesNotStopTheOthers() {
		Gauge.builder("broken", () -> {
			throw new IllegalStateException("boom");
		}).register(this.registry);
		this.registry.gauge("fine", new AtomicInteger(1));
		this.registry.publish();
		assertThatClient().gauge("fine").isEqualTo(1);
		assertUpdates(1, "fine");
	}

	@Test
	void removedMetersAreNoLongerRead() {
		Gauge gauge = Gauge.builder("gone", () -> 1).register(this.registry);
		this.registry.remove(gauge);
		this.registry.publish();
		assertNothingSent();
	}

	@Test
	void closingReadsThePolledMetersOnceMoreAndLeavesTheClientOpen() {
		this.registry.gauge("jobs.queue", new AtomicInteger(4));
		this.registry.close();
		assertThatClient().gauge("jobs.queue").isEqualTo(4);
		assertUpdates(1, "jobs.queue");
		this.client.incr("after.close");
		assertThatClient().counter("after.close").isEqualTo(1);
		assertUpdates(2, "jobs.queue", "after.close");
	}

	@Test
	void thePublishingThreadReadsPolledMetersEveryStep() {
		this.registry.close();
		this.registry = HeareMeterRegistry.builder(config(Map.of("heare.step", "100ms")), this.client).build();
		AtomicInteger value = this.registry.gauge("live", new AtomicInteger(1));
		StatsAssert.assertThat(this.client).within(Duration.ofSeconds(10)).gauge("live").isEqualTo(1);
		value.set(2);
		StatsAssert.assertThat(this.client).within(Duration.ofSeconds(10)).gauge("live").isEqualTo(2);
	}

	@Test
	void aDisabledRegistrySendsNothingButKeepsItsStatistics() {
		this.registry.close();
		this.client.reset();
		this.registry = registry(config(Map.of("heare.enabled", "false")));
		Counter counter = this.registry.counter("orders");
		counter.increment();
		this.registry.gauge("g", new AtomicInteger(1));
		this.registry.close();
		assertNothingSent();
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
		assertThatClient().timer("http.server.requests.method.GET.status.200").hasValues(1, 2);
		assertThatClient().timer("http.client.requests.uri._c").hasValues(3);
		assertUpdates(3, "http.server.requests.method.GET.status.200", "http.client.requests.uri._c");
		assertThat(this.registry.get("http.server.requests").timer().count()).isEqualTo(2);
	}

	@Test
	void deniedTagsAreDroppedByTheLongestMatchingNameAndAllAppliesToTheRest() {
		this.registry.close();
		this.registry = registry(config(Map.of("heare.deniedTags", "all=application,jvm.memory=id,jvm=area")));
		this.registry.counter("jvm.memory.used", "application", "shop", "area", "heap", "id", "eden").increment();
		this.registry.counter("jvm.threads", "application", "shop", "area", "x").increment();
		this.registry.counter("orders", "application", "shop", "area", "x").increment();
		assertThat(this.client.metrics().counters()).containsOnly(
				entry("jvm.memory.used.application.shop.area.heap", 1.0), entry("jvm.threads.application.shop", 1.0),
				entry("orders.area.x", 1.0));
		assertUpdates(3, "jvm.memory.used.application.shop.area.heap", "jvm.threads.application.shop", "orders.area.x");
	}

}
