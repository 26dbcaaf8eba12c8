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
 * connection and a refused port, then recovery, every update is accounted for.
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
		Telemetry telemetry = report.telemetry();
		assertThat(report.failures()).isEmpty();
		assertThat(telemetry.recorded()).isEqualTo(report.updatesRecorded());
		assertThat(telemetry.pending()).isZero();
		assertThat(telemetry.unaccounted()).as(report.format()).isZero();
		// What the service accepted is what the client counts as delivered; gauges merge, so
		// the service sees at most one entry per gauge and batch.
		assertThat(report.acceptedCounterSum() + report.acceptedTimerValues()).isPositive();
		assertThat(report.gaugeUpdatesDelivered()).as(report.format())
			.isBetween(report.acceptedGaugeEntries(), report.gaugeSets());
		assertThat(report.acceptedCounterSum()).isLessThanOrEqualTo(report.counterIncrements());
		assertThat(telemetry.dropped(DropReason.REJECTED)).isPositive();
		// 50, 100, 200, 400, 400 ms apart at most: a handful, not one per linger.
		assertThat(report.requests().get(Phase.UNAUTHORIZED)).as(report.format()).isBetween(1L, 8L);
		assertThat(report.requests().get(Phase.OK)).isPositive();
		assertThat(report.heapEnd() - report.heapStart()).as(report.format()).isLessThan(64L << 20);
	}

}
