package io.heare.stats.collector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Distribution}.
 */
class DistributionTests {

	@Test
	void percentilesAreNearestRank() {
		Distribution distribution = new Distribution(1000);
		for (int i = 100; i >= 1; i--) {
			distribution.record(i);
		}
		Distribution.Snapshot snapshot = distribution.snapshot();
		assertThat(snapshot.count()).isEqualTo(100);
		assertThat(snapshot.sum()).isEqualTo(5050);
		assertThat(snapshot.min()).isEqualTo(1);
		assertThat(snapshot.max()).isEqualTo(100);
		assertThat(snapshot.p50()).isEqualTo(50);
		assertThat(snapshot.p95()).isEqualTo(95);
		assertThat(snapshot.p99()).isEqualTo(99);
		assertThat(snapshot.recent()).hasSize(Distribution.RECENT).endsWith(2, 1);
	}

	@Test
	void reservoirKeepsOnlyTheLatestValuesButTotalsCountEverything() {
		Distribution distribution = new Distribution(3);
		for (int i = 1; i <= 10; i++) {
			distribution.record(i);
		}
		Distribution.Snapshot snapshot = distribution.snapshot();
		assertThat(snapshot.count()).isEqualTo(10);
		assertThat(snapshot.min()).isEqualTo(1);
		assertThat(snapshot.recent()).containsExactly(8, 9, 10);
		assertThat(snapshot.p50()).isEqualTo(9);
	}

	@Test
	void singleValueIsEveryPercentile() {
		Distribution distribution = new Distribution(10);
		distribution.record(7.5);
		Distribution.Snapshot snapshot = distribution.snapshot();
		assertThat(snapshot.p50()).isEqualTo(7.5);
		assertThat(snapshot.p99()).isEqualTo(7.5);
	}

	@Test
	void reservoirStartsSmallAndGrowsWithUseUpToItsCapacity() {
		Distribution distribution = new Distribution(50);
		assertThat(distribution.allocated()).isEqualTo(Distribution.INITIAL_CAPACITY);
		for (int i = 1; i <= 17; i++) {
			distribution.record(i);
		}
		assertThat(distribution.allocated()).isEqualTo(2 * Distribution.INITIAL_CAPACITY);
		for (int i = 18; i <= 100; i++) {
			distribution.record(i);
		}
		assertThat(distribution.allocated()).isEqualTo(50);
		Distribution.Snapshot snapshot = distribution.snapshot();
		assertThat(snapshot.count()).isEqualTo(100);
		assertThat(snapshot.p50()).isEqualTo(75);
		assertThat(snapshot.recent()).hasSize(50).startsWith(51, 52).endsWith(99, 100);
	}

	@Test
	void sampleTakesTheValuesRecordedSinceThePreviousSample() {
		Distribution distribution = new Distribution(4);
		distribution.record(3);
		distribution.record(1);
		assertThat(distribution.sortedSinceLastSample()).containsExactly(1, 3);
		assertThat(distribution.sortedSinceLastSample()).isEmpty();
		for (int i = 10; i >= 5; i--) {
			distribution.record(i);
		}
		// Only as many as the reservoir still holds.
		assertThat(distribution.sortedSinceLastSample()).containsExactly(5, 6, 7, 8);
	}

}
