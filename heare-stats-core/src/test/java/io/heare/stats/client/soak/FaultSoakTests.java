package io.heare.stats.client.soak;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.RetryPolicy;
import io.heare.stats.client.Telemetry;
import io.heare.stats.client.soak.FaultInjectingService.Phase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A few seconds of {@link FaultSoak}: through 200, 500, 429, 401, a hang, a dropped
 * connection and a refused port, then recovery, every update is accounted for, and what
 * the services accepted is exactly what was recorded less what telemetry says was
 * dropped.
 */
@Timeout(120)
class FaultSoakTests {

	@Test
	void everyUpdateIsAccountedForThroughEveryFailureAndRecovery() throws Exception {
		Duration phase = Duration.ofSeconds(1);
		FaultSoak.Report report = FaultSoak.run(phase, 1, Duration.ofSeconds(1),
				new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 2.0, 0.1), Duration.ofMillis(400),
				(line) -> {
				});
		String figures = report.format();
		assertThat(report.failures()).isEmpty();
		for (FaultSoak.Kind kind : new FaultSoak.Kind[] { report.counters(), report.timers(), report.gauges() }) {
			Telemetry telemetry = kind.telemetry();
			assertThat(telemetry.recorded()).as(figures).isEqualTo(kind.recorded());
			assertThat(telemetry.pending()).as(figures).isZero();
			assertThat(telemetry.unaccounted()).as(figures).isZero();
			assertThat(telemetry.delivered() + telemetry.droppedTotal() + telemetry.pending()).as(figures)
				.isEqualTo(kind.recorded());
			assertThat(telemetry.dropped(DropReason.REJECTED)).as(figures).isPositive();
			// 50, 100, 200, 400, 400 ms apart at most: a handful, not one per linger.
			assertThat(kind.requests().get(Phase.UNAUTHORIZED)).as(figures).isBetween(1L, 8L);
			assertThat(kind.requests().get(Phase.OK)).as(figures).isPositive();
		}
		// Every increment is one: the service's sum is the number of increments
		// delivered, and it is exactly what was recorded less what the client says it
		// dropped.
		assertThat(report.counters().accepted()).as(figures)
			.isPositive()
			.isEqualTo(report.counters().recordedLessDropped())
			.isEqualTo(report.counters().telemetry().delivered());
		assertThat(report.timers().accepted()).as(figures)
			.isPositive()
			.isEqualTo(report.timers().recordedLessDropped())
			.isEqualTo(report.timers().telemetry().delivered());
		// Gauges merge: the service sees at most one entry per gauge and batch.
		assertThat(report.gauges().accepted()).as(figures)
			.isPositive()
			.isLessThanOrEqualTo(report.gauges().recordedLessDropped());
		assertThat(report.exact()).as(figures).isTrue();
		assertThat(report.heapEnd() - report.heapStart()).as(figures).isLessThan(64L << 20);
	}

}
