package io.heare.stats.micrometer;

import java.util.concurrent.TimeUnit;

import io.heare.stats.client.StatsClient;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;

/**
 * A timer that sends every duration to the client in milliseconds, where heare computes
 * counts and percentiles from the values, and keeps Micrometer's cumulative count, total
 * and decaying max for {@link #count()}, {@link #totalTime(TimeUnit)} and
 * {@link #max(TimeUnit)}.
 */
final class HeareTimer extends CumulativeTimer {

	private final StatsClient client;

	private final String name;

	HeareTimer(Id id, Clock clock, DistributionStatisticConfig distributionStatisticConfig, PauseDetector pauseDetector,
			StatsClient client, String name) {
		super(id, clock, distributionStatisticConfig, pauseDetector, TimeUnit.MILLISECONDS, false);
		this.client = client;
		this.name = name;
	}

	@Override
	protected void recordNonNegative(long amount, TimeUnit unit) {
		super.recordNonNegative(amount, unit);
		this.client.time(this.name, unit.toNanos(amount) / 1_000_000d);
	}

}
