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

}
