package io.heare.stats.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Aggregator}'s timer and histogram paths: values from threads with a
 * lane of their own and from threads without one end up in the same batch entry.
 */
class AggregatorTests {

	private final ClientStats stats = new ClientStats();

	@Test
	void timingsFromAThreadWithoutALaneArriveWithThoseOfTheThreadHoldingIt() throws Exception {
		Aggregator aggregator = new Aggregator("app", 100, 100_000, this.stats);
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Thread holder = LaneThreads.onLane(9, () -> {
			aggregator.time("db.query", 1);
			aggregator.hist("payload", 10);
			holding.countDown();
			await(finish);
		});
		holder.start();
		holding.await();
		// Maps to the lane the holder keeps: records into the shared cells instead.
		Thread other = LaneThreads.onLane(9, () -> {
			aggregator.time("db.query", 2);
			aggregator.time("db.query", 3, 0.999999);
			aggregator.hist("payload", 20);
		});
		other.start();
		other.join();
		aggregator.time("db.query", 4);

		Batch batch = new Batch();
		assertThat(aggregator.drainTo(batch)).isEqualTo(5 + sampledIn(batch));
		assertThat(timers(batch).get("app.db.query@1.0")).containsExactlyInAnyOrder(1d, 2d, 4d);
		assertThat(histograms(batch).get("app.payload@1.0")).containsExactlyInAnyOrder(10d, 20d);
		finish.countDown();
		holder.join();
	}

	@Test
	void valuesAFullLaneCouldNotTakeAreCountedAsDropped() {
		// A pending cap of 1 gives a budget of 4: lanes cannot grow past their first
		// ring.
		Aggregator aggregator = new Aggregator("", 100, 1, this.stats);
		for (int i = 0; i < 1_000; i++) {
			aggregator.time("t", i);
		}
		Batch batch = new Batch();
		assertThat(aggregator.drainTo(batch)).isEqualTo(1);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.recorded()).isEqualTo(1_000);
		assertThat(telemetry.dropped(DropReason.VALUE_LIMIT)).isEqualTo(1_000 - 1);
	}

	@Test
	void whileALaneIsFullInvalidInputIsStillCountedAsSuchAndNewNamesWaitForRoom() {
		// A pending cap of 1 gives a budget of 4: lanes cannot grow past their first
		// ring.
		Aggregator aggregator = new Aggregator("", 100, 1, this.stats);
		for (int i = 0; i < ValueLanes.MIN_CAPACITY + 1; i++) {
			aggregator.time("t", i);
		}
		aggregator.time("new", 1);
		aggregator.hist("new", 1);
		aggregator.time("", 1);
		aggregator.time(null, 1);
		aggregator.hist("t", Double.NaN);
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		assertThat(timers(batch)).containsOnlyKeys("t@1.0");
		assertThat(histograms(batch)).isEmpty();
		Telemetry full = this.stats.snapshot();
		assertThat(full.dropped(DropReason.INVALID_NAME)).isEqualTo(2);
		assertThat(full.dropped(DropReason.INVALID_VALUE)).isEqualTo(1);
		// The one value the batch took, and every other one counted.
		assertThat(1 + full.dropped(DropReason.VALUE_LIMIT)).isEqualTo(ValueLanes.MIN_CAPACITY + 1 + 2);

		aggregator.time("new", 7);
		batch = new Batch();
		aggregator.drainTo(batch);
		assertThat(timers(batch)).containsOnly(Map.entry("new@1.0", List.of(7d)));
	}

	@Test
	@Tag("java21")
	@EnabledForJreRange(min = JRE.JAVA_21)
	void timingsFromManyShortLivedVirtualThreadsAllArrive() throws Exception {
		Aggregator aggregator = new Aggregator("", 100, 100_000, this.stats);
		int tasks = 20_000;
		long expectedSum = 0;
		// Through reflection: the main code and its tests compile for Java 17.
		ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
			.invoke(null);
		for (int i = 0; i < tasks; i++) {
			int value = i % 1_000;
			expectedSum += value;
			virtual.execute(() -> aggregator.time("v", value));
		}
		// Drain while they run, as the sender does: lanes of finished threads are freed
		// for others.
		while (!virtual.isTerminated()) {
			virtual.shutdown();
			Batch batch = new Batch();
			aggregator.drainTo(batch);
			accumulate(batch, this.drained);
			virtual.awaitTermination(1, TimeUnit.MILLISECONDS);
		}
		Batch last = new Batch();
		aggregator.drainTo(last);
		accumulate(last, this.drained);
		assertThat(this.drained[0]).isEqualTo(tasks);
		assertThat(this.drained[1]).isEqualTo(expectedSum);
		assertThat(this.stats.snapshot().droppedTotal()).isZero();
	}

	@Test
	void namesThatSanitizeAlikeShareOneCellAndOneNameSlot() {
		Aggregator aggregator = new Aggregator("app", 2, 1_000, this.stats);
		aggregator.incr("cpu load", 1);
		aggregator.incr("cpu_load", 2);
		aggregator.incr("cpu:load", 1, 0.999999999);
		aggregator.gauge("cpu load", 1);
		aggregator.gauge("cpu_load", 2);
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		Map<String, double[]> counters = scalars(batch, true);
		assertThat(counters).containsOnlyKeys("app.cpu_load");
		assertThat(counters.get("app.cpu_load")[1]).isEqualTo(3);
		assertThat(scalars(batch, false).get("app.cpu_load")).containsExactly(2, 2);
		assertThat(this.stats.snapshot().dropped(DropReason.NAME_LIMIT)).isZero();
	}

	@Test
	void sampleRatesAreAPropertyOfTheUpdateNotOfTheName() {
		Aggregator aggregator = new Aggregator("", 2, 1_000, this.stats);
		for (double rate : new double[] { 0.5, 0.25, 0.125, 0.999999 }) {
			for (int i = 0; i < 100; i++) {
				aggregator.incr("requests", 1, rate);
				aggregator.time("latency", 3, rate);
			}
		}
		aggregator.incr("requests", 1);
		aggregator.time("latency", 3);
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		assertThat(this.stats.snapshot().dropped(DropReason.NAME_LIMIT)).isZero();
		assertThat(scalars(batch, true)).containsOnlyKeys("requests");
		assertThat(timers(batch).keySet()).allMatch((key) -> key.startsWith("latency@")).contains("latency@1.0");
		assertThat(batch.updates()).isEqualTo(this.stats.snapshot().recorded());
	}

	@Test
	void aTimerKeepsAFewSampleRatesApartAndCountsValuesAtFurtherOnes() {
		Aggregator aggregator = new Aggregator("", 10, 1_000, this.stats);
		for (int i = 1; i <= ValueCell.MAX_RATES + 2; i++) {
			// Sampled out once in a billion.
			aggregator.time("t", i, 1 - i * 1e-10);
		}
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		assertThat(timers(batch)).hasSize(ValueCell.MAX_RATES);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.dropped(DropReason.NAME_LIMIT)).isEqualTo(2);
		assertThat(telemetry.recorded()).isEqualTo(ValueCell.MAX_RATES + 2);
	}

	@Test
	void aSampledCounterValueIsClampedAfterItIsScaledUp() {
		Aggregator aggregator = new Aggregator("", 10, 1_000, this.stats);
		while (this.stats.snapshot().recorded() == 0) {
			aggregator.incr("big", 1e307, 0.01);
			Batch batch = new Batch();
			aggregator.drainTo(batch);
			batch.forEachCounter((name, value, updates) -> assertThat(value).isEqualTo(Double.MAX_VALUE));
		}
	}

	@Test
	void namesLongerThanTheLimitAreCutAndCounted() {
		Aggregator aggregator = new Aggregator("prefix", 10, 1_000, this.stats);
		String longName = "x".repeat(300);
		aggregator.incr(longName, 1);
		aggregator.incr(longName + "y", 1);
		aggregator.incr("short", 1);
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		Map<String, double[]> counters = scalars(batch, true);
		String cut = ("prefix." + longName).substring(0, MetricNames.MAX_LENGTH);
		assertThat(counters).containsOnlyKeys(cut, "prefix.short");
		assertThat(counters.get(cut)).containsExactly(2, 2);
		assertThat(this.stats.snapshot().truncatedNames()).isEqualTo(1);
	}

	@Test
	void theSenderGivesUpOnASlotThatIsReservedButNeverWritten() {
		ValueCell cell = new ValueCell("t", 1, false, new ValueBudget(1_000));
		cell.add(1);
		cell.reserveWithoutWriting();
		cell.add(2);
		List<Double> drained = new ArrayList<>();
		long abandoned = cell.drain((owner, values, from, count) -> drained.addAll(list(values, count)));
		assertThat(abandoned).isOne();
		assertThat(drained).containsExactly(1d, 2d);
	}

	@Test
	void slotsNeverWrittenAreCountedAsUnpublishedInEveryKindOfValueCell() {
		Aggregator aggregator = new Aggregator("app", 100, 1_000, this.stats);
		aggregator.time("t", 1);
		aggregator.time("t", 2, 0.999999);
		aggregator.hist("h", 3);
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		// A thread that dies between reserving a slot and writing it, in the timer, its
		// sampled cell and the histogram.
		ValueCell timer = aggregator.valueCell("t", false);
		timer.reserveWithoutWriting();
		assertThat(timer.rated()).hasSize(1);
		timer.rated()[0].reserveWithoutWriting();
		aggregator.valueCell("h", true).reserveWithoutWriting();
		aggregator.time("t", 4);
		aggregator.hist("h", 5);
		assertThat(aggregator.drainTo(batch)).as("updates taken, besides the %d already held", 3).isEqualTo(2);
		assertThat(batch.updates()).isEqualTo(5);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.dropped(DropReason.UNPUBLISHED)).isEqualTo(3);
		assertThat(telemetry.recorded()).isEqualTo(5 + 3);
	}

	@Test
	void callersSpellingsOfOneNameAreRememberedOnlyUpToTwiceTheNameLimitAndStillCounted() {
		Aggregator aggregator = new Aggregator(null, 3, 1_000, this.stats);
		// Fifty spellings of one wire name: "a", "a.", "a..", and so on.
		for (int i = 0; i < 50; i++) {
			aggregator.incr("a" + ".".repeat(i), 1);
			aggregator.incr("a" + ".".repeat(i), 2);
		}
		assertThat(aggregator.rememberedCounterNames()).isEqualTo(6);
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		Map<String, double[]> counters = scalars(batch, true);
		assertThat(counters).containsOnlyKeys("a");
		assertThat(counters.get("a")).containsExactly(150, 100);
		assertThat(this.stats.snapshot().droppedTotal()).isZero();
	}

	private static Map<String, double[]> scalars(Batch batch, boolean counters) {
		Map<String, double[]> scalars = new HashMap<>();
		Batch.ScalarConsumer consumer = (name, value, updates) -> scalars.put(name, new double[] { value, updates });
		if (counters) {
			batch.forEachCounter(consumer);
		}
		else {
			batch.forEachGauge(consumer);
		}
		return scalars;
	}

	private final long[] drained = new long[2];

	private static void accumulate(Batch batch, long[] countAndSum) {
		batch.forEachTimer((name, values, count, rate) -> {
			for (int i = 0; i < count; i++) {
				countAndSum[0]++;
				countAndSum[1] += (long) values[i];
			}
		});
	}

	private static int sampledIn(Batch batch) {
		return timers(batch).getOrDefault("app.db.query@0.999999", List.of()).size();
	}

	private static Map<String, List<Double>> timers(Batch batch) {
		Map<String, List<Double>> values = new HashMap<>();
		batch.forEachTimer((name, array, count, rate) -> values.put(name + "@" + rate, list(array, count)));
		return values;
	}

	private static Map<String, List<Double>> histograms(Batch batch) {
		Map<String, List<Double>> values = new HashMap<>();
		batch.forEachHistogram((name, array, count, rate) -> values.put(name + "@" + rate, list(array, count)));
		return values;
	}

	private static List<Double> list(double[] array, int count) {
		List<Double> list = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			list.add(array[i]);
		}
		return list;
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
