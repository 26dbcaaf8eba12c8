package io.heare.stats.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Batch}: how recorded metrics merge into one batch, how a batch is cut
 * into requests of a bounded size, and how a failed part is merged back in front of what
 * was recorded after it.
 */
class BatchTests {

	@Test
	void countersSumPerNameAndCountTheUpdatesTheyStandFor() {
		Batch batch = new Batch();
		batch.addCounter("hits", 2, 5);
		batch.addCounter("hits", 0.5);
		batch.addCounter("misses", 1);
		assertThat(contents(batch)).containsExactly("counter hits=2.5 (6 updates)", "counter misses=1.0 (1 updates)");
		assertThat(batch.size()).isEqualTo(2);
		assertThat(batch.updates()).isEqualTo(7);
		assertThat(batch.valueCount()).isZero();
	}

	@Test
	void infiniteCountersAndSumsPastTheLargestDoubleBecomeTheLargestFiniteValue() {
		Batch batch = new Batch();
		batch.addCounter("up", Double.POSITIVE_INFINITY);
		batch.addCounter("down", Double.NEGATIVE_INFINITY);
		batch.addCounter("sum", Double.MAX_VALUE);
		batch.addCounter("sum", Double.MAX_VALUE);
		assertThat(contents(batch)).containsExactly("counter up=" + Double.MAX_VALUE + " (1 updates)",
				"counter down=" + -Double.MAX_VALUE + " (1 updates)",
				"counter sum=" + Double.MAX_VALUE + " (2 updates)");
		assertThat(Batch.finite(-3.5)).isEqualTo(-3.5);
	}

	@Test
	void theLastGaugeValueWinsAndCarriesTheUpdatesOfTheValuesItSuperseded() {
		Batch batch = new Batch();
		batch.setGauge("queue", 3, 4);
		batch.setGauge("queue", 7);
		batch.setGauge("threads", 2);
		assertThat(contents(batch)).containsExactly("gauge queue=7.0 (5 updates)", "gauge threads=2.0 (1 updates)");
		assertThat(batch.updates()).isEqualTo(6);
	}

	@Test
	void timerAndHistogramValuesAreKeptInOrderPerNameAndRateUpToTheBatchsLimit() {
		Batch batch = new Batch();
		assertThat(batch.addTimer("t", 1, new double[] { 1, 2, 3 }, 3, 8)).isEqualTo(3);
		assertThat(batch.addTimer("t", 0.5, new double[] { 9, 4, 5, 9 }, 1, 2, 8)).isEqualTo(2);
		assertThat(batch.addHistogram("h", 1, new double[] { 6 }, 1, 8)).isEqualTo(1);
		// Two values fit under the limit of 8, whatever the name.
		assertThat(batch.addHistogram("h", 1, new double[] { 9, 7, 8, 9, 9 }, 1, 4, 8)).isEqualTo(2);
		assertThat(batch.addTimer("t", 1, new double[] { 9 }, 1, 8)).isZero();
		assertThat(batch.addHistogram("full", 1, new double[] { 9 }, 0, 1, 8)).isZero();
		assertThat(contents(batch)).containsExactly("timer t@1.0=[1.0, 2.0, 3.0]", "timer t@0.5=[4.0, 5.0]",
				"histogram h@1.0=[6.0, 7.0, 8.0]");
		assertThat(batch.valueCount()).isEqualTo(8);
		assertThat(batch.size()).isEqualTo(8);
		assertThat(batch.updates()).isEqualTo(8);
	}

	@Test
	void aBatchIsEmptyUntilSomethingIsAddedAndAfterItIsCleared() {
		Batch batch = new Batch();
		assertThat(batch.isEmpty()).isTrue();
		batch.addCounter("c", 1);
		assertThat(batch.isEmpty()).isFalse();
		batch.clear();
		assertThat(batch.isEmpty()).isTrue();
		batch.setGauge("g", 1);
		assertThat(batch.isEmpty()).isFalse();
		batch.clear();
		batch.addTimer("t", 1, new double[] { 1 }, 1, 10);
		assertThat(batch.isEmpty()).isFalse();
		batch.clear();
		batch.addHistogram("h", 1, new double[] { 1 }, 1, 10);
		assertThat(batch.isEmpty()).isFalse();
		batch.clear();
		assertThat(batch.isEmpty()).isTrue();
		assertThat(batch.size()).isZero();
		assertThat(batch.updates()).isZero();
		assertThat(batch.valueCount()).isZero();
		assertThat(contents(batch)).isEmpty();
	}

	@Test
	void carvingTakesAtMostTheGivenEntriesOldestKindFirstAndLeavesTheRest() {
		Batch batch = mixed();
		Batch first = batch.carve(3);
		assertThat(contents(first)).containsExactly("counter c1=1.0 (2 updates)", "counter c2=2.0 (1 updates)",
				"gauge g1=5.0 (3 updates)");
		assertThat(first.size()).isEqualTo(3);
		assertThat(first.updates()).isEqualTo(6);
		assertThat(first.valueCount()).isZero();
		Batch second = batch.carve(4);
		assertThat(contents(second)).containsExactly("timer t@1.0=[1.0, 2.0, 3.0, 4.0]");
		assertThat(second.size()).isEqualTo(4);
		assertThat(second.updates()).isEqualTo(4);
		Batch third = batch.carve(4);
		assertThat(contents(third)).containsExactly("timer t@1.0=[5.0]", "timer t@0.1=[6.0, 7.0]",
				"histogram h@1.0=[8.0]");
		assertThat(third.valueCount()).isEqualTo(4);
		// What is left: the rest of the histogram, no empty series.
		assertThat(contents(batch)).containsExactly("histogram h@1.0=[9.0, 10.0]");
		assertThat(batch.size()).isEqualTo(2);
		assertThat(batch.updates()).isEqualTo(2);
		assertThat(batch.valueCount()).isEqualTo(2);
		assertThat(batch.carve(10).size()).isEqualTo(2);
		assertThat(batch.isEmpty()).isTrue();
		assertThat(batch.updates()).isZero();
	}

	@Test
	void carvingEveryFewEntriesSplitsABatchIntoPartsOfThatSizeThatTogetherHoldItAll() {
		for (int max = 1; max <= 12; max++) {
			Batch batch = mixed();
			List<String> carved = new ArrayList<>();
			long updates = 0;
			while (!batch.isEmpty()) {
				Batch part = batch.carve(max);
				assertThat(part.size()).as("part of at most %d", max).isBetween(1, max);
				updates += part.updates();
				carved.addAll(contents(part));
			}
			assertThat(updates).isEqualTo(mixed().updates());
			assertThat(merged(carved)).as("carved by %d", max).isEqualTo(merged(contents(mixed())));
		}
	}

	@Test
	void carvingWithNoRoomTakesNothing() {
		Batch batch = mixed();
		assertThat(batch.carve(0).isEmpty()).isTrue();
		assertThat(contents(batch)).isEqualTo(contents(mixed()));
	}

	@Test
	void anOlderBatchMergesInFrontOfTheNewerOne() {
		Batch older = new Batch();
		older.addCounter("c", 2, 2);
		older.addCounter("only.older", 1);
		older.setGauge("g", 1, 3);
		older.setGauge("g.older", 4);
		older.addTimer("t", 1, new double[] { 1, 2 }, 2, 100);
		older.addTimer("t.older", 1, new double[] { 3 }, 1, 100);
		older.addHistogram("h", 1, new double[] { 4 }, 1, 100);
		Batch newer = new Batch();
		newer.addCounter("c", 5);
		newer.setGauge("g", 9);
		newer.addTimer("t", 1, new double[] { 7 }, 1, 100);
		newer.addHistogram("h", 1, new double[] { 8 }, 1, 100);
		newer.addHistogram("h.newer", 1, new double[] { 5 }, 1, 100);
		long updates = older.updates() + newer.updates();
		assertThat(newer.absorbOlder(older, 100)).isZero();
		assertThat(contents(newer)).containsExactlyInAnyOrder("counter c=7.0 (3 updates)",
				"counter only.older=1.0 (1 updates)", "gauge g=9.0 (4 updates)", "gauge g.older=4.0 (1 updates)",
				"timer t@1.0=[1.0, 2.0, 7.0]", "timer t.older@1.0=[3.0]", "histogram h@1.0=[4.0, 8.0]",
				"histogram h.newer@1.0=[5.0]");
		assertThat(newer.updates()).isEqualTo(updates).isEqualTo(16);
		assertThat(newer.valueCount()).isEqualTo(7);
		assertThat(newer.size()).isEqualTo(11);
	}

	@Test
	void mergedCountersStayFinite() {
		Batch older = new Batch();
		older.addCounter("c", Double.MAX_VALUE);
		Batch newer = new Batch();
		newer.addCounter("c", Double.MAX_VALUE);
		newer.absorbOlder(older, 10);
		assertThat(contents(newer)).containsExactly("counter c=" + Double.MAX_VALUE + " (2 updates)");
	}

	@Test
	void olderValuesPastTheLimitAreNotKeptAndAreCounted() {
		Batch older = new Batch();
		older.addTimer("t", 1, new double[] { 1, 2, 3 }, 3, 100);
		older.addTimer("u", 1, new double[] { 4 }, 1, 100);
		older.addHistogram("h", 1, new double[] { 5, 6 }, 2, 100);
		Batch newer = new Batch();
		newer.addTimer("t", 1, new double[] { 7, 8 }, 2, 100);
		// Room for two older values beside the newer two: the oldest are kept.
		assertThat(newer.absorbOlder(older, 4)).isEqualTo(4);
		assertThat(contents(newer)).containsExactly("timer t@1.0=[1.0, 2.0, 7.0, 8.0]");
		assertThat(newer.valueCount()).isEqualTo(4);
		assertThat(newer.updates()).isEqualTo(4);
	}

	@Test
	void theDescriptionCountsTheEntriesOfEachKind() {
		assertThat(mixed()).hasToString("Batch[counters=2, gauges=1, timers=2, histograms=1, values=10, updates=16]");
	}

	/**
	 * Two counters, a gauge, a timer at two rates and a histogram: 13 entries, 16
	 * updates.
	 */
	private static Batch mixed() {
		Batch batch = new Batch();
		batch.addCounter("c1", 1, 2);
		batch.addCounter("c2", 2);
		batch.setGauge("g1", 5, 3);
		batch.addTimer("t", 1, new double[] { 1, 2, 3, 4, 5 }, 5, 100);
		batch.addTimer("t", 0.1, new double[] { 6, 7 }, 2, 100);
		batch.addHistogram("h", 1, new double[] { 8, 9, 10 }, 3, 100);
		return batch;
	}

	/** The batch's entries, one line per counter, gauge, and series of values. */
	private static List<String> contents(Batch batch) {
		List<String> lines = new ArrayList<>();
		batch.forEachCounter(
				(name, value, updates) -> lines.add("counter " + name + "=" + value + " (" + updates + " updates)"));
		batch.forEachGauge(
				(name, value, updates) -> lines.add("gauge " + name + "=" + value + " (" + updates + " updates)"));
		batch.forEachTimer((name, values, count, rate) -> lines
			.add("timer " + name + "@" + rate + "=" + Arrays.toString(Arrays.copyOf(values, count))));
		batch.forEachHistogram((name, values, count, rate) -> lines
			.add("histogram " + name + "@" + rate + "=" + Arrays.toString(Arrays.copyOf(values, count))));
		return lines;
	}

	/** Carved lines of one series joined back into one line. */
	private static List<String> merged(List<String> lines) {
		java.util.Map<String, String> bySeries = new java.util.LinkedHashMap<>();
		for (String line : lines) {
			int equals = line.indexOf('=');
			String series = line.substring(0, equals);
			String values = line.substring(equals + 1);
			bySeries.merge(series, values, (a, b) -> a.substring(0, a.length() - 1) + ", " + b.substring(1));
		}
		List<String> result = new ArrayList<>();
		bySeries.forEach((series, values) -> result.add(series + "=" + values));
		return result;
	}

}
