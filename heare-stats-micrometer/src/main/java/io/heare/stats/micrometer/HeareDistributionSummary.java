package io.heare.stats.micrometer;

import io.heare.stats.client.StatsClient;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * A distribution summary that sends every (scaled) amount to the client as a histogram
 * value, and keeps Micrometer's cumulative count, total and decaying max.
 */
final class HeareDistributionSummary extends CumulativeDistributionSummary {

	private final StatsClient client;

	private final String name;

	HeareDistributionSummary(Id id, Clock clock, DistributionStatisticConfig distributionStatisticConfig, double scale,
			StatsClient client, String name) {
		super(id, clock, distributionStatisticConfig, scale, false);
		this.client = client;
		this.name = name;
	}

	@Override
	protected void recordNonNegative(double amount) {
		super.recordNonNegative(amount);
		this.client.hist(this.name, amount);
	}

}
