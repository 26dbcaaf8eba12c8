package io.heare.stats.collector;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MetricStore}.
 */
class MetricStoreTests {

	private final ForwardBuffer downstream = new ForwardBuffer(100, 1000);

	private final MetricStore store = new MetricStore(100, 3, 10, this.downstream);

	@Test
	void updatesOfNewNamesBeyondTheMaximumAreDroppedAndCounted() {
		this.store.counter("a", 1);
		this.store.gauge("b", 2);
		this.store.timer("c", 3);
		this.store.histogram("d", 4);
		this.store.counter("e", 5);
		this.store.gaugeDelta("f", -1);
		this.store.timer("g", 1);
		this.store.counter("a", 10);
		this.store.gaugeDelta("b", 1);
		this.store.timer("c", 4);

		assertThat(this.store.names()).isEqualTo(3);
		assertThat(this.store.refusedUpdates()).isEqualTo(4);
		MetricStore.Snapshot snapshot = this.store.snapshot();
		assertThat(snapshot.counters()).containsOnlyKeys("a").containsEntry("a", 11.0);
		assertThat(snapshot.gauges()).containsOnlyKeys("b").containsEntry("b", 3.0);
		assertThat(snapshot.timers()).containsOnlyKeys("c");
		assertThat(snapshot.timers().get("c").count()).isEqualTo(2);
		assertThat(snapshot.histograms()).isEmpty();
		MetricBatch forwarded = this.downstream.drain();
		assertThat(forwarded.counters()).containsOnlyKeys("a");
		assertThat(forwarded.gauges()).containsOnlyKeys("b");
		assertThat(forwarded.timers()).containsOnlyKeys("c");
		assertThat(forwarded.histograms()).isEmpty();
	}

	@Test
	void updatesOfNamesLongerThanTheMaximumAreDroppedAndCountedOfEveryKind() {
		String longest = "x".repeat(10);
		String tooLong = "y".repeat(11);
		this.store.counter(tooLong, 1);
		this.store.gauge(tooLong, 2);
		this.store.gaugeDelta(tooLong, 1);
		this.store.timer(tooLong, 3);
		this.store.histogram(tooLong, 4);
		this.store.record(new MetricBatch(Map.of(tooLong + "z", 1.0), Map.of(), Map.of(), Map.of()));
		this.store.counter(longest, 1);

		assertThat(this.store.refusedLongNames()).isEqualTo(6);
		assertThat(this.store.refusedUpdates()).isZero();
		assertThat(this.store.names()).isEqualTo(1);
		assertThat(this.store.snapshot().counters()).containsOnlyKeys(longest);
		MetricBatch forwarded = this.downstream.drain();
		assertThat(forwarded.counters()).containsOnlyKeys(longest);
		assertThat(forwarded.gauges()).isEmpty();
		assertThat(forwarded.timers()).isEmpty();
		assertThat(forwarded.histograms()).isEmpty();
		this.store.reset();
		assertThat(this.store.refusedLongNames()).isZero();
	}

	@Test
	void resetMakesRoomAgainAndClearsTheDropCount() {
		for (int i = 0; i < 5; i++) {
			this.store.counter("n" + i, 1);
		}
		assertThat(this.store.refusedUpdates()).isEqualTo(2);
		this.store.reset();
		assertThat(this.store.names()).isZero();
		assertThat(this.store.refusedUpdates()).isZero();
		this.store.histogram("fresh", 1);
		assertThat(this.store.snapshot().histograms()).containsOnlyKeys("fresh");
	}

}
