package io.heare.stats.collector;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ForwardBuffer}.
 */
class ForwardBufferTests {

	@Test
	void drainTakesEverythingAndEmptiesTheBuffer() {
		ForwardBuffer buffer = new ForwardBuffer(100, 1000);
		buffer.counter("c", 2);
		buffer.counter("c", 3);
		buffer.gauge("g", 1);
		buffer.gauge("g", -5);
		buffer.timer("t", 10);
		buffer.histogram("h", 20);
		MetricBatch batch = buffer.drain();
		assertThat(batch.counters()).isEqualTo(Map.of("c", 5.0));
		assertThat(batch.gauges()).isEqualTo(Map.of("g", -5.0));
		assertThat(batch.timers()).isEqualTo(Map.of("t", List.of(10.0)));
		assertThat(batch.histograms()).isEqualTo(Map.of("h", List.of(20.0)));
		assertThat(buffer.drain().isEmpty()).isTrue();
	}

	@Test
	void restoredBatchMergesWithNewerValuesWhichWin() {
		ForwardBuffer buffer = new ForwardBuffer(100, 1000);
		buffer.counter("c", 1);
		buffer.gauge("g", 1);
		buffer.timer("t", 1);
		MetricBatch failed = buffer.drain();
		buffer.counter("c", 2);
		buffer.gauge("g", 2);
		buffer.timer("t", 2);
		buffer.restore(failed);
		MetricBatch batch = buffer.drain();
		assertThat(batch.counters()).isEqualTo(Map.of("c", 3.0));
		assertThat(batch.gauges()).isEqualTo(Map.of("g", 2.0));
		assertThat(batch.timers()).isEqualTo(Map.of("t", List.of(1.0, 2.0)));
	}

	@Test
	void valuesPerNameAreCappedDroppingTheOldestAndCountingThem() {
		ForwardBuffer buffer = new ForwardBuffer(2, 1000);
		buffer.histogram("h", 1);
		buffer.histogram("h", 2);
		buffer.histogram("h", 3);
		assertThat(buffer.drain().histograms()).isEqualTo(Map.of("h", List.of(2.0, 3.0)));
		assertThat(buffer.droppedValues()).isEqualTo(1);
	}

	@Test
	void valuesInAllAreCappedDroppingNewOnesUntilTheNextDrain() {
		ForwardBuffer buffer = new ForwardBuffer(10, 3);
		buffer.timer("a", 1);
		buffer.timer("b", 2);
		buffer.histogram("c", 3);
		buffer.timer("a", 4);
		buffer.histogram("d", 5);
		buffer.counter("counted", 1);
		MetricBatch batch = buffer.drain();
		assertThat(batch.timers()).isEqualTo(Map.of("a", List.of(1.0), "b", List.of(2.0)));
		assertThat(batch.histograms()).isEqualTo(Map.of("c", List.of(3.0)));
		assertThat(batch.counters()).isEqualTo(Map.of("counted", 1.0));
		assertThat(buffer.droppedValues()).isEqualTo(2);
		buffer.timer("a", 6);
		assertThat(buffer.drain().timers()).isEqualTo(Map.of("a", List.of(6.0)));
	}

	@Test
	void restoreCountsValuesOnceAndKeepsTheTotalCapDroppingTheOldestRestored() {
		ForwardBuffer buffer = new ForwardBuffer(10, 4);
		buffer.timer("t", 1);
		buffer.timer("t", 2);
		buffer.histogram("h", 3);
		MetricBatch failed = buffer.drain();
		buffer.timer("t", 4);
		buffer.timer("t", 5);
		buffer.restore(failed);
		MetricBatch batch = buffer.drain();
		// 5 values for a cap of 4: the oldest restored one goes.
		assertThat(batch.timers()).isEqualTo(Map.of("t", List.of(2.0, 4.0, 5.0)));
		assertThat(batch.histograms()).isEqualTo(Map.of("h", List.of(3.0)));
		assertThat(buffer.droppedValues()).isEqualTo(1);
	}

	@Test
	void newValuesAfterARestoreFillTheBufferUpToTheCapExactly() {
		ForwardBuffer buffer = new ForwardBuffer(10, 4);
		buffer.timer("t", 1);
		MetricBatch failed = buffer.drain();
		buffer.timer("t", 2);
		buffer.restore(failed);
		buffer.timer("t", 3);
		buffer.timer("t", 4);
		buffer.timer("t", 5);
		assertThat(buffer.drain().timers()).isEqualTo(Map.of("t", List.of(1.0, 2.0, 3.0, 4.0)));
		assertThat(buffer.droppedValues()).isEqualTo(1);
	}

	@Test
	void repeatedFailedRestoresNeverHoldMoreThanTheCap() {
		ForwardBuffer buffer = new ForwardBuffer(100, 5);
		for (int round = 0; round < 10; round++) {
			for (int i = 0; i < 5; i++) {
				buffer.histogram("h" + (i % 2), round * 10 + i);
			}
			MetricBatch failed = buffer.drain();
			int held = failed.histograms().values().stream().mapToInt(List::size).sum();
			assertThat(held).isLessThanOrEqualTo(5);
			buffer.restore(failed);
		}
		MetricBatch last = buffer.drain();
		assertThat(last.histograms().values().stream().mapToInt(List::size).sum()).isEqualTo(5);
		assertThat(buffer.droppedValues()).isEqualTo(45);
	}

}
