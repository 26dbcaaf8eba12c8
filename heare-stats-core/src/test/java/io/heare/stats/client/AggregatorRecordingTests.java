package io.heare.stats.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what every recording path of {@link Aggregator} does with input it cannot
 * send (a missing or empty name, a name with nothing left after sanitizing, a value that
 * is not finite, a name past the name limit): it is dropped, counted under its reason,
 * never thrown, and the names and values around it are unaffected.
 */
class AggregatorRecordingTests {

	// Often enough that a path sampling at 1/2 lets at least one through (all but 2^-64
	// of runs).
	private static final int TIMES = 64;

	private final ClientStats stats = new ClientStats();

	/** Every way a metric update enters the aggregator. */
	enum Path {

		COUNTER(false) {
			@Override
			void record(Aggregator aggregator, String name, double value) {
				aggregator.incr(name, value);
			}
		},
		COUNTER_ONE(false) {
			@Override
			void record(Aggregator aggregator, String name, double value) {
				aggregator.incr(name, 1);
			}
		},
		SAMPLED_COUNTER(true) {
			@Override
			void record(Aggregator aggregator, String name, double value) {
				aggregator.incr(name, value, 0.5);
			}
		},
		GAUGE(false) {
			@Override
			void record(Aggregator aggregator, String name, double value) {
				aggregator.gauge(name, value);
			}
		},
		TIMER(false) {
			@Override
			void record(Aggregator aggregator, String name, double value) {
				aggregator.time(name, value);
			}
		},
		SAMPLED_TIMER(true) {
			@Override
			void record(Aggregator aggregator, String name, double value) {
				aggregator.time(name, value, 0.5);
			}
		},
		HISTOGRAM(false) {
			@Override
			void record(Aggregator aggregator, String name, double value) {
				aggregator.hist(name, value);
			}
		};

		final boolean sampled;

		Path(boolean sampled) {
			this.sampled = sampled;
		}

		abstract void record(Aggregator aggregator, String name, double value);

	}

	@ParameterizedTest
	@EnumSource(Path.class)
	void aMissingOrEmptyNameIsCountedAsInvalidEveryTimeWhetherSampledInOrNot(Path path) {
		Aggregator aggregator = new Aggregator("app", 100, 1_000, this.stats);
		for (int i = 0; i < TIMES; i++) {
			path.record(aggregator, null, 2);
			path.record(aggregator, "", 2);
		}
		assertNothingToSend(aggregator);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.dropped(DropReason.INVALID_NAME)).isEqualTo(2 * TIMES);
		assertThat(telemetry.droppedTotal()).isEqualTo(2 * TIMES);
		// Dropped at once: recorded and dropped, so that nothing is unaccounted for.
		assertThat(telemetry.recorded()).isEqualTo(2 * TIMES);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Path.class)
	void aNameOfOnlyDotsIsInvalidAndNeverBecomesThePrefixAlone(Path path) {
		Aggregator aggregator = new Aggregator("app", 100, 1_000, this.stats);
		for (int i = 0; i < TIMES; i++) {
			path.record(aggregator, "...", 2);
			path.record(aggregator, ".", 2);
		}
		assertNothingToSend(aggregator);
		Telemetry telemetry = this.stats.snapshot();
		if (path.sampled) {
			// Only what is sampled in reaches the name check.
			assertThat(telemetry.dropped(DropReason.INVALID_NAME)).isBetween(1L, 2L * TIMES);
		}
		else {
			assertThat(telemetry.dropped(DropReason.INVALID_NAME)).isEqualTo(2 * TIMES);
		}
		assertThat(telemetry.droppedTotal()).isEqualTo(telemetry.dropped(DropReason.INVALID_NAME));
		// Dropped at once: recorded and dropped, so that nothing is unaccounted for.
		assertThat(telemetry.recorded()).isEqualTo(telemetry.dropped(DropReason.INVALID_NAME));
		assertThat(telemetry.unaccounted()).isZero();
	}

	@ParameterizedTest
	@EnumSource(value = Path.class, mode = EnumSource.Mode.EXCLUDE, names = "COUNTER_ONE")
	void aValueThatIsNotFiniteIsCountedAsInvalidAndTakesNoNameSlot(Path path) {
		// Room for one name: the invalid values must not take it.
		Aggregator aggregator = new Aggregator("app", 1, 1_000, this.stats);
		for (int i = 0; i < TIMES; i++) {
			path.record(aggregator, "bad", Double.NaN);
			path.record(aggregator, "bad", Double.POSITIVE_INFINITY);
			path.record(aggregator, "bad", Double.NEGATIVE_INFINITY);
		}
		Telemetry invalid = this.stats.snapshot();
		assertThat(invalid.dropped(DropReason.INVALID_VALUE)).isEqualTo(3 * TIMES);
		assertThat(invalid.droppedTotal()).isEqualTo(3 * TIMES);
		assertNothingToSend(aggregator);

		for (int i = 0; i < TIMES; i++) {
			path.record(aggregator, "good", 2);
		}
		Batch batch = new Batch();
		long taken = aggregator.drainTo(batch);
		assertThat(names(batch)).containsExactly("app.good");
		assertThat(taken).isPositive();
		assertThat(this.stats.snapshot().dropped(DropReason.NAME_LIMIT)).isZero();
	}

	@ParameterizedTest
	@EnumSource(Path.class)
	void updatesToNewNamesPastTheLimitAreCountedWhileKnownNamesKeepRecording(Path path) {
		Aggregator aggregator = new Aggregator("app", 2, 1_000, this.stats);
		for (int i = 0; i < TIMES; i++) {
			path.record(aggregator, "first", 2);
			path.record(aggregator, "second", 2);
		}
		for (int i = 0; i < TIMES; i++) {
			path.record(aggregator, "third", 2);
			path.record(aggregator, "fourth", 2);
		}
		for (int i = 0; i < TIMES; i++) {
			path.record(aggregator, "first", 3);
		}
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		assertThat(names(batch)).containsExactlyInAnyOrder("app.first", "app.second");
		long overLimit = this.stats.snapshot().dropped(DropReason.NAME_LIMIT);
		if (path.sampled) {
			assertThat(overLimit).isBetween(1L, 2L * TIMES);
		}
		else {
			assertThat(overLimit).isEqualTo(2 * TIMES);
		}
		assertThat(this.stats.snapshot().droppedTotal()).isEqualTo(overLimit);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "..." })
	void aRefusedNameTakesNoNameSlot(String refused) {
		Aggregator aggregator = new Aggregator("app", 1, 1_000, this.stats);
		for (Path path : Path.values()) {
			path.record(aggregator, refused, 1);
		}
		aggregator.gauge("only", 1);
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		assertThat(names(batch)).containsExactly("app.only");
		assertThat(this.stats.snapshot().dropped(DropReason.NAME_LIMIT)).isZero();
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void sampledTimersArriveWithTheirRateAndAreCountedAsRecorded(boolean onALane) throws Exception {
		Aggregator aggregator = new Aggregator("", 100, 100_000, this.stats);
		int recorded = 10_000;
		int others = runOnALaneOrNot(aggregator, onALane, () -> {
			for (int i = 0; i < recorded; i++) {
				aggregator.time("sampled", i, 0.5);
			}
		});
		Batch batch = new Batch();
		long taken = aggregator.drainTo(batch);
		List<Double> values = new ArrayList<>();
		Set<Double> rates = new HashSet<>();
		batch.forEachTimer((name, array, count, rate) -> {
			assertThat(name).isEqualTo("sampled");
			rates.add(rate);
			for (int i = 0; i < count; i++) {
				values.add(array[i]);
			}
		});
		assertThat(rates).containsExactly(0.5);
		// About half are sampled in: 4,500 to 5,500 is ten standard deviations either
		// side.
		assertThat(values).hasSizeBetween(4_500, 5_500).doesNotHaveDuplicates().allMatch((v) -> v >= 0 && v < recorded);
		assertThat(taken).isEqualTo(values.size());
		assertThat(this.stats.snapshot().recorded()).isEqualTo(values.size() + others);
		assertThat(this.stats.snapshot().droppedTotal()).isZero();
	}

	@Test
	void sampledCountersArriveScaledUpAndAreCountedAsRecorded() {
		Aggregator aggregator = new Aggregator("", 100, 1_000, this.stats);
		for (int i = 0; i < 10_000; i++) {
			aggregator.incr("sampled", 1, 0.5);
		}
		Batch batch = new Batch();
		long taken = aggregator.drainTo(batch);
		List<Double> sums = new ArrayList<>();
		List<Long> updates = new ArrayList<>();
		batch.forEachCounter((name, sum, count) -> {
			assertThat(name).isEqualTo("sampled");
			sums.add(sum);
			updates.add(count);
		});
		assertThat(sums).hasSize(1);
		assertThat(updates.get(0)).isBetween(4_500L, 5_500L);
		assertThat(sums.get(0)).isEqualTo(2d * updates.get(0));
		// One entry, standing for every update sampled in.
		assertThat(batch.size()).isEqualTo(1);
		assertThat(taken).isEqualTo(updates.get(0));
		assertThat(this.stats.snapshot().recorded()).isEqualTo(updates.get(0));
		assertThat(this.stats.snapshot().droppedTotal()).isZero();
	}

	@ParameterizedTest
	@EnumSource(value = Path.class, names = { "TIMER", "HISTOGRAM" })
	void valuesFromAThreadWithoutALaneBeyondTheBudgetAreCountedAsDropped(Path path) throws Exception {
		// A pending cap of 1 gives a budget of 4: the shared cell cannot grow past its
		// first chunk.
		Aggregator aggregator = new Aggregator("", 100, 1, this.stats);
		int recorded = 1_000;
		runOnALaneOrNot(aggregator, false, () -> {
			for (int i = 0; i < recorded; i++) {
				path.record(aggregator, "v", i);
			}
		});
		Batch batch = new Batch();
		long taken = aggregator.drainTo(batch);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(taken).isEqualTo(1);
		assertThat(telemetry.dropped(DropReason.VALUE_LIMIT)).isEqualTo(recorded - taken);
		assertThat(telemetry.droppedTotal()).isEqualTo(recorded - taken);
	}

	@ParameterizedTest
	@ValueSource(doubles = { 1.0, 1.5, 0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY })
	void aSampleRateOutsideZeroToOneRecordsEveryUpdateUnsampled(double rate) {
		Aggregator aggregator = new Aggregator("", 100, 1_000, this.stats);
		for (int i = 0; i < 100; i++) {
			aggregator.incr("c", 2, rate);
			aggregator.time("t", i, rate);
		}
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		List<String> counters = new ArrayList<>();
		batch.forEachCounter((name, sum, updates) -> counters.add(name + "=" + sum + " in " + updates));
		List<String> timers = new ArrayList<>();
		batch.forEachTimer((name, values, count, sampleRate) -> timers.add(name + "@" + sampleRate + "x" + count));
		assertThat(counters).containsExactly("c=200.0 in 100");
		assertThat(timers).containsExactly("t@1.0x100");
		assertThat(this.stats.snapshot().recorded()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void valuesRecordedWhileTheWaitingBatchIsFullAreCountedAsDropped(boolean onALane) throws Exception {
		Aggregator aggregator = new Aggregator("", 100, 10, this.stats);
		Batch waiting = new Batch();
		waiting.addTimer("earlier", 1, new double[10], 10, 10);
		runOnALaneOrNot(aggregator, onALane, () -> {
			for (int i = 0; i < 25; i++) {
				aggregator.time("t", i);
				aggregator.hist("h", i);
			}
		});
		Telemetry before = this.stats.snapshot();
		aggregator.drainTo(waiting);
		assertThat(waiting.valueCount()).isEqualTo(10);
		assertThat(this.stats.snapshot().dropped(DropReason.VALUE_LIMIT) - before.dropped(DropReason.VALUE_LIMIT))
			.isEqualTo(50);
	}

	@Test
	void sampledTimersFromAThreadWithoutALaneBeyondTheBudgetAreCountedAsDropped() throws Exception {
		// A pending cap of 1 gives a budget of 4: the shared cell cannot grow past its
		// first chunk.
		Aggregator aggregator = new Aggregator("", 100, 1, this.stats);
		runOnALaneOrNot(aggregator, false, () -> {
			for (int i = 0; i < 1_000; i++) {
				aggregator.time("v", i, 0.5);
			}
		});
		Batch batch = new Batch();
		assertThat(aggregator.drainTo(batch)).isEqualTo(1);
		// About 500 sampled in, one of them sent: six standard deviations either side.
		assertThat(this.stats.snapshot().dropped(DropReason.VALUE_LIMIT)).isBetween(400L, 600L);
	}

	@Test
	void aNameFirstSeenWhileTheLaneIsFullTakesNoNameSlot() {
		// A pending cap of 1 gives a budget of 4: the lane cannot grow past its first
		// ring.
		Aggregator aggregator = new Aggregator("", 2, 1, this.stats);
		for (int i = 0; i < ValueLanes.MIN_CAPACITY + 1; i++) {
			aggregator.time("t", i);
		}
		aggregator.time("new.timer", 1);
		aggregator.hist("new.histogram", 1);
		aggregator.drainTo(new Batch());
		aggregator.hist("later", 1);
		Batch batch = new Batch();
		aggregator.drainTo(batch);
		assertThat(names(batch)).containsExactly("later");
		assertThat(this.stats.snapshot().dropped(DropReason.NAME_LIMIT)).isZero();
	}

	private static void assertNothingToSend(Aggregator aggregator) {
		Batch batch = new Batch();
		assertThat(aggregator.drainTo(batch)).isZero();
		assertThat(batch.isEmpty()).isTrue();
	}

	private static Set<String> names(Batch batch) {
		Set<String> names = new HashSet<>();
		batch.forEachCounter((name, value, updates) -> names.add(name));
		batch.forEachGauge((name, value, updates) -> names.add(name));
		batch.forEachTimer((name, values, count, rate) -> names.add(name));
		batch.forEachHistogram((name, values, count, rate) -> names.add(name));
		return names;
	}

	/**
	 * Runs {@code task} on the calling thread, which claims a lane, or on a thread whose
	 * lane another live thread holds, so that its values go to the shared cells.
	 * @return the values recorded besides the task's: the one the lane's holder records
	 * to claim its lane (already drained)
	 */
	private static int runOnALaneOrNot(Aggregator aggregator, boolean onALane, Runnable task) throws Exception {
		if (onALane) {
			task.run();
			return 0;
		}
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread holder = LaneThreads.onLane(7, () -> {
			aggregator.time("lane.holder", 0);
			holding.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		holder.start();
		holding.await();
		try {
			aggregator.drainTo(new Batch());
			Thread worker = LaneThreads.onLane(7, task);
			worker.setUncaughtExceptionHandler((thread, ex) -> failure.set(ex));
			worker.start();
			worker.join();
		}
		finally {
			release.countDown();
			holder.join();
		}
		assertThat(failure.get()).isNull();
		return 1;
	}

}
