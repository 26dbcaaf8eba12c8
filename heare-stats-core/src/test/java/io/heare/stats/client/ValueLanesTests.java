package io.heare.stats.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ValueLanes}.
 */
class ValueLanesTests {

	private static final long BUDGET = 400_000;

	private final ValueBudget budget = new ValueBudget(BUDGET);

	private final ValueLanes lanes = new ValueLanes(this.budget);

	// No budget: these lanes' rings never grow past their first.
	private final ValueBudget none = new ValueBudget(0);

	private final ValueLanes capped = new ValueLanes(this.none);

	private final List<ExecutorService> executors = new ArrayList<>();

	@AfterEach
	void stopExecutors() {
		this.executors.forEach(ExecutorService::shutdownNow);
	}

	@Test
	void valuesComeBackGroupedByCellInTheOrderTheyWereRecorded() {
		ValueCell a = cell("a");
		ValueCell b = cell("b");
		for (int i = 0; i < 5; i++) {
			assertThat(this.lanes.offer(a, i)).isTrue();
			assertThat(this.lanes.offer(b, 100 + i)).isTrue();
		}
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		ValueLanes.Drained result = this.lanes.drain(Integer.MAX_VALUE, collectInto(drained));
		assertThat(result).isEqualTo(new ValueLanes.Drained(10, 0, 0));
		assertThat(drained.get(a)).containsExactly(0d, 1d, 2d, 3d, 4d);
		assertThat(drained.get(b)).containsExactly(100d, 101d, 102d, 103d, 104d);
		assertThat(this.lanes.drain(Integer.MAX_VALUE, collectInto(new HashMap<>())))
			.isEqualTo(new ValueLanes.Drained(0, 0, 0));
	}

	@Test
	void aBurstGrowsTheRingInsteadOfDropping() {
		ValueCell cell = cell("burst");
		record(this.lanes, cell, 50_000);
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		assertThat(this.lanes.drain(Integer.MAX_VALUE, collectInto(drained)))
			.isEqualTo(new ValueLanes.Drained(50_000, 0, 0));
		assertThat(drained.get(cell)).hasSize(50_000).startsWith(0d, 1d).endsWith(49_998d, 49_999d);
		// The rings outgrown on the way (256 to 16,384) are given back; the current one
		// is still held.
		assertThat(this.budget.available()).isEqualTo(BUDGET - 32_768);
	}

	@Test
	void aFullRingThatMayNotGrowDropsAndCountsTheRest() {
		ValueLanes lanes = this.capped;
		ValueCell cell = registered(lanes, this.none, "capped");
		record(lanes, cell, 1_000);
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		assertThat(lanes.drain(Integer.MAX_VALUE, collectInto(drained)))
			.isEqualTo(new ValueLanes.Drained(ValueLanes.MIN_CAPACITY, 0, 1_000 - ValueLanes.MIN_CAPACITY));
		assertThat(drained.get(cell)).hasSize(ValueLanes.MIN_CAPACITY).startsWith(0d);
		// Drops are reported once.
		assertThat(lanes.drain(Integer.MAX_VALUE, collectInto(drained)).dropped()).isZero();
	}

	@Test
	void aThreadWhoseRingIsFullIsToldSoUntilTheSenderHasDrainedIt() {
		ValueLanes lanes = this.capped;
		ValueCell cell = registered(lanes, this.none, "capped");
		ValueLanes.Lane lane = lanes.laneOf(Thread.currentThread());
		for (int i = 0; i < ValueLanes.MIN_CAPACITY; i++) {
			assertThat(lanes.saturated(lane)).isFalse();
			lane.offer(cell.id, i);
		}
		// Filling the ring is not enough: the owner learns when a value finds no room.
		assertThat(lanes.saturated(lane)).isFalse();
		lane.offer(cell.id, -1);
		for (int i = 0; i < 9; i++) {
			assertThat(lanes.saturated(lane)).isTrue();
			lane.drop();
		}
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		assertThat(lanes.drain(Integer.MAX_VALUE, collectInto(drained)))
			.isEqualTo(new ValueLanes.Drained(ValueLanes.MIN_CAPACITY, 0, 10));
		assertThat(drained.get(cell)).hasSize(ValueLanes.MIN_CAPACITY).doesNotContain(-1d);

		assertThat(lanes.saturated(lane)).isFalse();
		lane.offer(cell.id, 42);
		drained.clear();
		assertThat(lanes.drain(Integer.MAX_VALUE, collectInto(drained))).isEqualTo(new ValueLanes.Drained(1, 0, 0));
		assertThat(drained.get(cell)).containsExactly(42d);
	}

	@Test
	void valuesOverTheDrainCapAreSkippedUnreadAndReported() {
		ValueCell cell = cell("many");
		record(this.lanes, cell, 1_000);
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		assertThat(this.lanes.drain(100, collectInto(drained))).isEqualTo(new ValueLanes.Drained(100, 900, 0));
		assertThat(drained.get(cell)).hasSize(100).startsWith(0d).endsWith(99d);
		assertThat(this.lanes.drain(100, collectInto(drained))).isEqualTo(new ValueLanes.Drained(0, 0, 0));
	}

	@Test
	void overTheCapEveryLaneGivesUpTheSameShare() throws Exception {
		ValueCell cell = cell("shared");
		for (int lane = 10; lane < 14; lane++) {
			int count = (lane - 9) * 1_000;
			runToEnd(LaneThreads.onLane(lane, () -> record(this.lanes, cell, count)));
		}
		// 1,000 + 2,000 + 3,000 + 4,000 held, room for 5,000: half of each lane's values.
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		ValueLanes.Drained result = this.lanes.drain(5_000, collectInto(drained));
		assertThat(result).isEqualTo(new ValueLanes.Drained(5_000, 5_000, 0));
		List<Double> values = drained.get(cell);
		// record() writes 0, 1, 2, ... on each lane: the first half of each came through,
		// the first 500 of 1,000 up to the first 2,000 of 4,000.
		assertThat(values.stream().filter((v) -> v == 0)).hasSize(4);
		assertThat(values.stream().filter((v) -> v == 499)).hasSize(4);
		assertThat(values.stream().filter((v) -> v == 500)).hasSize(3);
		assertThat(values.stream().filter((v) -> v == 1_499)).hasSize(2);
		assertThat(values.stream().filter((v) -> v == 1_999)).hasSize(1);
		assertThat(values).noneMatch((v) -> v >= 2_000);
	}

	@Test
	void aThreadWhoseLaneAnotherLiveThreadHoldsIsToldToUseTheCell() throws Exception {
		ValueCell cell = cell("shared");
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Thread holder = LaneThreads.onLane(3, () -> {
			this.lanes.offer(cell, 1);
			holding.countDown();
			await(finish);
		});
		holder.start();
		holding.await();
		AtomicBoolean taken = new AtomicBoolean(true);
		Thread other = LaneThreads.onLane(3, () -> taken.set(this.lanes.offer(cell, 2)));
		runToEnd(other);
		assertThat(taken).isFalse();

		finish.countDown();
		holder.join();
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		this.lanes.drain(Integer.MAX_VALUE, collectInto(drained));
		assertThat(drained.get(cell)).containsExactly(1d);
		// The holder died and the drain freed its lane for the next thread that maps to
		// it.
		Thread next = LaneThreads.onLane(3, () -> taken.set(this.lanes.offer(cell, 3)));
		runToEnd(next);
		assertThat(taken).isTrue();
		drained.clear();
		this.lanes.drain(Integer.MAX_VALUE, collectInto(drained));
		assertThat(drained.get(cell)).containsExactly(3d);
	}

	@Test
	void aLaneWhoseOwnerDiedIsTakenOverBeforeTheNextDrain() throws Exception {
		ValueCell cell = cell("per-request");
		AtomicBoolean taken = new AtomicBoolean();
		runToEnd(LaneThreads.onLane(7, () -> this.lanes.offer(cell, 1)));
		// As a virtual thread per request: the next thread on the lane comes before the
		// sender does.
		runToEnd(LaneThreads.onLane(7, () -> taken.set(this.lanes.offer(cell, 2))));
		assertThat(taken).isTrue();
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		this.lanes.drain(Integer.MAX_VALUE, collectInto(drained));
		assertThat(drained.get(cell)).containsExactly(1d, 2d);
		runToEnd(LaneThreads.onLane(7, () -> taken.set(this.lanes.offer(cell, 3))));
		assertThat(taken).isTrue();
		drained.clear();
		this.lanes.drain(Integer.MAX_VALUE, collectInto(drained));
		assertThat(drained.get(cell)).containsExactly(3d);
	}

	@Test
	void virtualThreadsThatFollowOneAnotherKeepToTheNearLanes() throws Exception {
		ValueCell cell = cell("per-request");
		Set<ValueLanes.Lane> used = ConcurrentHashMap.newKeySet();
		List<Double> recorded = new ArrayList<>();
		// As a virtual thread per request: ids grow with every thread, and each ends
		// before the next records.
		for (int i = 0; i < ValueLanes.LANES; i++) {
			double value = i;
			recorded.add(value);
			runToEnd(new Thread(() -> {
				ValueLanes.Lane lane = this.lanes.laneOf(Thread.currentThread(), true);
				lane.offer(cell.id, value);
				used.add(lane);
			}));
		}
		assertThat(used).hasSizeLessThanOrEqualTo(ValueLanes.VIRTUAL_LANES);
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		this.lanes.drain(Integer.MAX_VALUE, collectInto(drained));
		assertThat(drained.get(cell)).containsExactlyInAnyOrderElementsOf(recorded);
	}

	@Test
	void aVirtualThreadWhoseNearLaneALiveThreadHoldsRecordsOnItsLaneById() throws Exception {
		ValueCell cell = cell("per-request");
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		AtomicReference<ValueLanes.Lane> held = new AtomicReference<>();
		Thread holder = LaneThreads.onLane(3, () -> {
			held.set(this.lanes.laneOf(Thread.currentThread(), true));
			held.get().offer(cell.id, 1);
			holding.countDown();
			await(finish);
		});
		holder.start();
		holding.await();
		AtomicReference<ValueLanes.Lane> other = new AtomicReference<>();
		// The same near lane, another lane by id.
		runToEnd(LaneThreads.onLane(3 + ValueLanes.VIRTUAL_LANES, () -> {
			other.set(this.lanes.laneOf(Thread.currentThread(), true));
			other.get().offer(cell.id, 2);
		}));
		assertThat(other.get()).isNotNull().isNotSameAs(held.get());
		finish.countDown();
		holder.join();
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		this.lanes.drain(Integer.MAX_VALUE, collectInto(drained));
		assertThat(drained.get(cell)).containsExactlyInAnyOrder(1d, 2d);
	}

	@Test
	void everyThreadOfATomcatSizedPoolGetsALaneOfItsOwn() throws Exception {
		ValueCell cell = cell("request");
		int poolSize = 200;
		CountDownLatch recorded = new CountDownLatch(poolSize);
		CountDownLatch finish = new CountDownLatch(1);
		AtomicInteger onLanes = new AtomicInteger();
		// Created one after another, as a pool grows, and all alive at once, as pool
		// threads are.
		ExecutorService pool = Executors.newFixedThreadPool(poolSize);
		this.executors.add(pool);
		for (int i = 0; i < poolSize; i++) {
			pool.execute(() -> {
				if (this.lanes.offer(cell, 1)) {
					onLanes.incrementAndGet();
				}
				recorded.countDown();
				await(finish);
			});
		}
		assertThat(recorded.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(onLanes).hasValue(poolSize);
		finish.countDown();
	}

	@Test
	void aDeadThreadsValuesAreDrainedAndItsLargeRingGivenBackOnceTheLaneHasBeenQuiet() throws Exception {
		ValueCell cell = cell("short-lived");
		runToEnd(LaneThreads.onLane(5, () -> record(this.lanes, cell, 5_000)));
		assertThat(this.budget.available()).isLessThan(BUDGET);
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		assertThat(this.lanes.drain(Integer.MAX_VALUE, collectInto(drained)).taken()).isEqualTo(5_000);
		assertThat(drained.get(cell)).hasSize(5_000);
		// The rings outgrown on the way are given back. The last (4,096) waits for
		// another thread until the lane has been quiet for as long as a live owner's
		// would be before it is asked to shrink.
		assertThat(this.budget.available()).isEqualTo(BUDGET - 4_096);
		drainQuietly(ValueLanes.Lane.QUIET_DRAINS - 1);
		assertThat(this.budget.available()).isEqualTo(BUDGET - 4_096);
		drainQuietly(1);
		assertThat(this.budget.available()).isEqualTo(BUDGET);
	}

	@Test
	void aThreadThatTakesOverALaneDuringTheDrainThatEmptiedItIsNotToldItIsFull() throws Exception {
		ValueLanes lanes = this.capped;
		ValueCell cell = registered(lanes, this.none, "capped");
		runToEnd(LaneThreads.onLane(9, () -> {
			ValueLanes.Lane lane = lanes.laneOf(Thread.currentThread());
			for (int i = 0; i <= ValueLanes.MIN_CAPACITY; i++) {
				lane.offer(cell.id, i);
			}
			assertThat(lanes.saturated(lane)).isTrue();
		}));
		AtomicBoolean toldFull = new AtomicBoolean(true);
		AtomicBoolean successorRan = new AtomicBoolean();
		// The consumer runs after the drain has emptied and released the lane, before the
		// drain is counted: a thread that takes the lane over then finds an empty ring.
		ValueLanes.GroupConsumer takeOverMeanwhile = (drainedCell, values, from, count) -> {
			if (successorRan.compareAndSet(false, true)) {
				runToEndUnchecked(LaneThreads.onLane(9, () -> {
					ValueLanes.Lane lane = lanes.laneOf(Thread.currentThread());
					toldFull.set(lanes.saturated(lane));
					lane.offer(cell.id, 42);
				}));
			}
		};
		assertThat(lanes.drain(Integer.MAX_VALUE, takeOverMeanwhile))
			.isEqualTo(new ValueLanes.Drained(ValueLanes.MIN_CAPACITY, 0, 1));
		assertThat(successorRan).isTrue();
		assertThat(toldFull).isFalse();
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		assertThat(lanes.drain(Integer.MAX_VALUE, collectInto(drained))).isEqualTo(new ValueLanes.Drained(1, 0, 0));
		assertThat(drained.get(cell)).containsExactly(42d);
	}

	@Test
	void aBusyLaneKeepsItsRingForTheThreadThatTakesItOverAfterItsOwnerDied() throws Exception {
		ValueCell cell = cell("per-request");
		runToEnd(LaneThreads.onLane(7, () -> record(this.lanes, cell, 1_000)));
		assertThat(this.lanes.drain(Integer.MAX_VALUE, collectInto(new HashMap<>())).taken()).isEqualTo(1_000);
		AtomicReference<ValueLanes.Ring> before = new AtomicReference<>();
		AtomicReference<ValueLanes.Ring> after = new AtomicReference<>();
		runToEnd(LaneThreads.onLane(7, () -> {
			ValueLanes.Lane lane = this.lanes.laneOf(Thread.currentThread());
			before.set(lane.ring);
			record(this.lanes, cell, 1_000);
			after.set(lane.ring);
		}));
		// The successor records into the ring its predecessor grew, without growing
		// another.
		assertThat(before.get().capacity).isEqualTo(1_024);
		assertThat(after.get()).isSameAs(before.get());
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		assertThat(this.lanes.drain(Integer.MAX_VALUE, collectInto(drained)))
			.isEqualTo(new ValueLanes.Drained(1_000, 0, 0));
		assertThat(drained.get(cell)).hasSize(1_000).startsWith(0d, 1d).endsWith(998d, 999d);
		assertThat(this.budget.available()).isEqualTo(BUDGET - 1_024);
	}

	@Test
	void aThreadThatTakesOverALaneTheSenderFreedHasEveryValueDrained() throws Exception {
		ValueCell cell = cell("successor");
		runToEnd(LaneThreads.onLane(5, () -> record(this.lanes, cell, 5_000)));
		this.lanes.drain(Integer.MAX_VALUE, collectInto(new HashMap<>()));
		runToEnd(LaneThreads.onLane(5, () -> record(this.lanes, cell, 300)));
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		assertThat(this.lanes.drain(Integer.MAX_VALUE, collectInto(drained)))
			.isEqualTo(new ValueLanes.Drained(300, 0, 0));
		assertThat(drained.get(cell)).hasSize(300).startsWith(0d, 1d).endsWith(298d, 299d);
	}

	@Test
	void aLaneThatHasGoneQuietMovesToASmallerRingAndGivesBackItsBudget() throws Exception {
		ValueCell cell = cell("bursty");
		ExecutorService owner = ownerThread();
		owner.submit(() -> record(this.lanes, cell, 20_000)).get();
		this.lanes.drain(Integer.MAX_VALUE, collectInto(new HashMap<>()));
		assertThat(this.budget.available()).isEqualTo(BUDGET - 16_384);
		for (int i = 0; i < 8; i++) {
			owner.submit(() -> record(this.lanes, cell, 10)).get();
			this.lanes.drain(Integer.MAX_VALUE, collectInto(new HashMap<>()));
		}
		// The owner looks for the sender's hint every 1,024 values.
		owner.submit(() -> record(this.lanes, cell, 1_100)).get();
		Map<ValueCell, List<Double>> drained = new HashMap<>();
		this.lanes.drain(Integer.MAX_VALUE, collectInto(drained));
		assertThat(drained.get(cell)).hasSize(1_100);
		assertThat(this.budget.available()).isEqualTo(BUDGET - 4_096);
	}

	@Test
	void drainingWhileThreadsRecordAccountsForEveryValue() throws Exception {
		int threads = 4;
		int perThread = 500_000;
		ValueCell[] cells = new ValueCell[50];
		for (int i = 0; i < cells.length; i++) {
			cells[i] = cell("c" + i);
		}
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			workers.add(LaneThreads.onLane(t, () -> {
				for (int i = 0; i < perThread; i++) {
					this.lanes.offer(cells[i % cells.length], i);
				}
			}));
		}
		Map<ValueCell, Integer> index = new HashMap<>();
		for (int i = 0; i < cells.length; i++) {
			index.put(cells[i], i);
		}
		long[] taken = new long[cells.length];
		List<String> misplaced = new ArrayList<>();
		ValueLanes.GroupConsumer check = (cell, values, from, count) -> {
			int c = index.get(cell);
			for (int i = from; i < from + count; i++) {
				if ((long) values[i] % cells.length != c) {
					misplaced.add(cell.wireName + "=" + values[i]);
				}
			}
			taken[c] += count;
		};
		workers.forEach(Thread::start);
		long dropped = 0;
		while (workers.stream().anyMatch(Thread::isAlive)) {
			dropped += this.lanes.drain(Integer.MAX_VALUE, check).dropped();
		}
		for (Thread worker : workers) {
			worker.join();
		}
		dropped += this.lanes.drain(Integer.MAX_VALUE, check).dropped();
		assertThat(misplaced).isEmpty();
		// Whatever the drainer could not keep up with was dropped and counted, never lost
		// or doubled.
		assertThat(java.util.Arrays.stream(taken).sum() + dropped).isEqualTo((long) threads * perThread);
		for (long count : taken) {
			assertThat(count).isLessThanOrEqualTo((long) threads * perThread / cells.length);
		}
		// Once the dead workers' lanes have been quiet for a while, their rings are given
		// back.
		drainQuietly(ValueLanes.Lane.QUIET_DRAINS);
		assertThat(this.budget.available()).isEqualTo(BUDGET);
	}

	private void drainQuietly(int times) {
		for (int i = 0; i < times; i++) {
			assertThat(this.lanes.drain(Integer.MAX_VALUE, collectInto(new HashMap<>())))
				.isEqualTo(new ValueLanes.Drained(0, 0, 0));
		}
	}

	private ValueCell cell(String name) {
		return registered(this.lanes, this.budget, name);
	}

	private static ValueCell registered(ValueLanes lanes, ValueBudget budget, String name) {
		ValueCell cell = new ValueCell(name, 1d, false, budget);
		lanes.register(cell);
		return cell;
	}

	// Values 0, 1, ... from the calling thread, which has a lane (a full ring drops and
	// counts).
	private static void record(ValueLanes lanes, ValueCell cell, int count) {
		for (int i = 0; i < count; i++) {
			assertThat(lanes.offer(cell, i)).isTrue();
		}
	}

	private ExecutorService ownerThread() {
		ExecutorService executor = Executors.newSingleThreadExecutor((task) -> LaneThreads.onLane(7, task));
		this.executors.add(executor);
		return executor;
	}

	private static ValueLanes.GroupConsumer collectInto(Map<ValueCell, List<Double>> drained) {
		return (cell, values, from, count) -> {
			List<Double> list = drained.computeIfAbsent(cell, (c) -> new ArrayList<>());
			for (int i = from; i < from + count; i++) {
				list.add(values[i]);
			}
		};
	}

	private static void runToEnd(Thread thread) throws InterruptedException {
		thread.start();
		thread.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(thread.isAlive()).isFalse();
	}

	private static void runToEndUnchecked(Thread thread) {
		try {
			runToEnd(thread);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
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
