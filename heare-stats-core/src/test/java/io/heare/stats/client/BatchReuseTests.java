package io.heare.stats.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for a {@link Batch} that is cleared and filled again, as the sender does with the
 * batch it sent.
 */
class BatchReuseTests {

	private static final int NO_LIMIT = Integer.MAX_VALUE;

	private final Batch batch = new Batch();

	@Test
	void aClearedBatchHoldsOnlyWhatIsAddedAfterwards() {
		this.batch.addTimer("a", 1, new double[] { 1, 2, 3 }, 3, NO_LIMIT);
		this.batch.addTimer("b", 0.5, new double[] { 4 }, 1, NO_LIMIT);
		this.batch.addHistogram("h", 1, new double[] { 5, 6 }, 2, NO_LIMIT);
		this.batch.addCounter("c", 2, 2);
		this.batch.setGauge("g", 1);
		this.batch.clear();
		assertThat(this.batch.isEmpty()).isTrue();
		assertThat(this.batch.updates()).isZero();
		this.batch.addTimer("b", 1, new double[] { 7 }, 1, NO_LIMIT);
		this.batch.addHistogram("a", 1, new double[] { 8, 9 }, 2, NO_LIMIT);
		assertThat(timers(this.batch)).containsExactly("b@1.0=[7.0]");
		assertThat(histograms(this.batch)).containsExactly("a@1.0=[8.0, 9.0]");
		assertThat(this.batch.size()).isEqualTo(3);
		assertThat(this.batch.updates()).isEqualTo(3);
	}

	@Test
	void clearingKeepsTheValueArraysForTheNextFillUpToABound() {
		for (int i = 0; i < Batch.MAX_SPARE_VALUES + 10; i++) {
			this.batch.addTimer("t" + i, 1, new double[] { i }, 1, NO_LIMIT);
		}
		this.batch.clear();
		assertThat(this.batch.spareValues()).isEqualTo(Batch.MAX_SPARE_VALUES);
		this.batch.addTimer("x", 1, new double[] { 1 }, 1, NO_LIMIT);
		assertThat(this.batch.spareValues()).isEqualTo(Batch.MAX_SPARE_VALUES - 1);
		this.batch.clear();
		assertThat(this.batch.spareValues()).isEqualTo(Batch.MAX_SPARE_VALUES);
	}

	@Test
	void arraysBeyondTheBoundOnKeptValuesAreNotKept() {
		int half = Batch.MAX_SPARE_CAPACITY / 2;
		this.batch.addHistogram("large", 1, new double[Batch.MAX_SPARE_CAPACITY + 1], Batch.MAX_SPARE_CAPACITY + 1,
				NO_LIMIT);
		this.batch.addTimer("a", 1, new double[half], half, NO_LIMIT);
		this.batch.addTimer("b", 1, new double[half], half, NO_LIMIT);
		this.batch.addTimer("c", 1, new double[half], half, NO_LIMIT);
		this.batch.clear();
		// Not the large one; then the first two fill the bound.
		assertThat(this.batch.spareValues()).isEqualTo(2);
		this.batch.addTimer("d", 1, new double[] { 1 }, 1, NO_LIMIT);
		this.batch.clear();
		assertThat(this.batch.spareValues()).isEqualTo(2);
	}

	@Test
	void aNameRecordedAgainGetsBackTheArrayItFilledLastTime() {
		this.batch.addTimer("small", 1, new double[] { 1 }, 1, NO_LIMIT);
		this.batch.addTimer("large", 1, new double[1000], 1000, NO_LIMIT);
		double[] large = array(this.batch, "large");
		this.batch.clear();
		// In the other order: the small name must not take the large one's array.
		this.batch.addTimer("large", 1, new double[1000], 1000, NO_LIMIT);
		this.batch.addTimer("small", 1, new double[] { 2 }, 1, NO_LIMIT);
		assertThat(array(this.batch, "large")).isSameAs(large);
		assertThat(timers(this.batch)).contains("small@1.0=[2.0]");
	}

	@Test
	void thePartsCarvedFromABatchGiveTheirArraysBackForItsNextFill() {
		this.batch.addTimer("first", 1, new double[] { 1, 2, 3 }, 3, NO_LIMIT);
		this.batch.addTimer("second", 1, new double[] { 4, 5, 6 }, 3, NO_LIMIT);
		double[] first = array(this.batch, "first");
		Batch part = this.batch.carve(4);
		assertThat(timers(part)).containsExactly("first@1.0=[1.0, 2.0, 3.0]", "second@1.0=[4.0]");
		assertThat(timers(this.batch)).containsExactly("second@1.0=[5.0, 6.0]");
		this.batch.reclaim(part);
		assertThat(part.isEmpty()).isTrue();
		assertThat(part.updates()).isZero();
		this.batch.clear();
		this.batch.addTimer("first", 1, new double[] { 7 }, 1, NO_LIMIT);
		assertThat(array(this.batch, "first")).isSameAs(first);
		assertThat(timers(this.batch)).containsExactly("first@1.0=[7.0]");
	}

	@Test
	void aNewNameAndACarvedHeadTakeTheSmallestKeptArraysThatHoldThemAndANameGetsBackTheLargestItHeld() {
		this.batch.addTimer("small", 1, new double[8], 8, NO_LIMIT);
		this.batch.addTimer("medium", 1, new double[64], 64, NO_LIMIT);
		this.batch.addTimer("large", 1, new double[1024], 1024, NO_LIMIT);
		double[] medium = array(this.batch, "medium");
		double[] large = array(this.batch, "large");
		this.batch.clear();
		this.batch.addTimer("new", 1, new double[100], 100, NO_LIMIT);
		assertThat(array(this.batch, "new")).isSameAs(large);
		Batch part = this.batch.carve(50);
		assertThat(array(part, "new")).isSameAs(medium);
		assertThat(array(this.batch, "new")).isSameAs(large);
		this.batch.reclaim(part);
		this.batch.clear();
		// Both arrays held "new": it gets the larger back, and the smaller serves
		// another.
		this.batch.addTimer("new", 1, new double[10], 10, NO_LIMIT);
		this.batch.addTimer("other", 1, new double[60], 60, NO_LIMIT);
		assertThat(array(this.batch, "new")).isSameAs(large);
		assertThat(array(this.batch, "other")).isSameAs(medium);
		assertThat(this.batch.spareValues()).isEqualTo(1);
	}

	@Test
	void histogramArraysAreKeptLikeTimerArraysAcrossFillsAndFromCarvedParts() {
		this.batch.addHistogram("sizes", 1, new double[300], 300, NO_LIMIT);
		double[] sizes = histogramArray(this.batch, "sizes");
		Batch part = this.batch.carve(300);
		assertThat(histogramArray(part, "sizes")).isSameAs(sizes);
		this.batch.reclaim(part);
		this.batch.clear();
		this.batch.addHistogram("sizes", 1, new double[200], 200, NO_LIMIT);
		assertThat(histogramArray(this.batch, "sizes")).isSameAs(sizes);
		this.batch.clear();
		this.batch.addHistogram("sizes", 1, new double[250], 250, NO_LIMIT);
		assertThat(histogramArray(this.batch, "sizes")).isSameAs(sizes);
	}

	private static double[] histogramArray(Batch batch, String name) {
		return array(name, batch::forEachHistogram);
	}

	private static double[] array(Batch batch, String name) {
		return array(name, batch::forEachTimer);
	}

	// The array holding the values of {@code name}, among those {@code forEach} visits.
	private static double[] array(String name, Consumer<Batch.ValuesConsumer> forEach) {
		List<double[]> arrays = new ArrayList<>();
		forEach.accept((entry, values, count, rate) -> {
			if (entry.equals(name)) {
				arrays.add(values);
			}
		});
		assertThat(arrays).hasSize(1);
		return arrays.get(0);
	}

	private static List<String> timers(Batch batch) {
		List<String> entries = new ArrayList<>();
		batch.forEachTimer((name, values, count, rate) -> entries.add(entry(name, values, count, rate)));
		return entries;
	}

	private static List<String> histograms(Batch batch) {
		List<String> entries = new ArrayList<>();
		batch.forEachHistogram((name, values, count, rate) -> entries.add(entry(name, values, count, rate)));
		return entries;
	}

	private static String entry(String name, double[] values, int count, double rate) {
		return name + "@" + rate + "=" + java.util.Arrays.toString(java.util.Arrays.copyOf(values, count));
	}

}
