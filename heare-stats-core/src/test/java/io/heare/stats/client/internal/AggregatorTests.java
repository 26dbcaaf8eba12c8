package io.heare.stats.client.internal;

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

import io.heare.stats.client.DropReason;
import io.heare.stats.client.Telemetry;
import io.heare.stats.client.transport.Batch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Aggregator}'s timer and histogram paths: values from threads with a lane
 * of their own and from threads without one end up in the same batch entry.
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
		// A pending cap of 1 gives a budget of 4: lanes cannot grow past their first ring.
		Aggregator aggregator = new Aggregator("", 100, 1, this.stats);
		for (int i = 0; i < 1_000; i++) {
			aggregator.time("t", i);
		}
		Batch batch = new Batch();
		assertThat(aggregator.drainTo(batch)).isEqualTo(1);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.recorded()).isEqualTo(ValueLanes.MIN_CAPACITY);
		assertThat(telemetry.dropped(DropReason.VALUE_LIMIT)).isEqualTo(1_000 - 1);
	}

	@Test
	void whileALaneIsFullInvalidInputIsStillCountedAsSuchAndNewNamesWaitForRoom() {
		// A pending cap of 1 gives a budget of 4: lanes cannot grow past their first ring.
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
		// Drain while they run, as the sender does: lanes of finished threads are freed for others.
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
