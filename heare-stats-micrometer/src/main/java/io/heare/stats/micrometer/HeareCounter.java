package io.heare.stats.micrometer;

import io.heare.stats.client.StatsClient;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;

/**
 * A counter that sends every increment to the client, which sums them until it sends, and
 * keeps Micrometer's cumulative count for {@link #count()}.
 */
final class HeareCounter extends CumulativeCounter {

	private final StatsClient client;

	private final String name;

	HeareCounter(Id id, StatsClient client, String name) {
		super(id);
		this.client = client;
		this.name = name;
	}

	@Override
	public void increment(double amount) {
		super.increment(amount);
		if (amount != 0d) {
			this.client.incr(this.name, amount);
		}
	}

}
