package io.heare.stats.micrometer;

import java.util.concurrent.TimeUnit;

import io.heare.stats.client.Pipeline;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.internal.DefaultLongTaskTimer;

/**
 * A long task timer read once per step and sent as three gauges: the tasks running
 * ({@code statistic.active}), their total duration so far and the longest one's, in
 * milliseconds ({@code statistic.duration}, {@code statistic.max}).
 */
final class HeareLongTaskTimer extends DefaultLongTaskTimer implements PolledMeter {

	private final String activeName;

	private final String durationName;

	private final String maxName;

	HeareLongTaskTimer(Id id, Clock clock, DistributionStatisticConfig distributionStatisticConfig, String activeName,
			String durationName, String maxName) {
		super(id, clock, TimeUnit.MILLISECONDS, distributionStatisticConfig, false);
		this.activeName = activeName;
		this.durationName = durationName;
		this.maxName = maxName;
	}

	@Override
	public void poll(Pipeline pipeline) {
		pipeline.gauge(this.activeName, activeTasks());
		pipeline.gauge(this.durationName, duration(TimeUnit.MILLISECONDS));
		pipeline.gauge(this.maxName, max(TimeUnit.MILLISECONDS));
	}

}
