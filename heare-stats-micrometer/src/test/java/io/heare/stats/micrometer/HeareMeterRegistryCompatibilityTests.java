package io.heare.stats.micrometer;

import java.time.Duration;

import io.heare.stats.test.InMemoryStatsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.tck.MeterRegistryCompatibilityKit;
import org.junit.jupiter.api.AfterEach;

/**
 * Micrometer's compatibility kit, run against {@link HeareMeterRegistry}: every meter
 * keeps Micrometer's cumulative statistics while it forwards, so the kit's assertions on
 * counts, totals, decaying maxima, percentiles and histograms all apply.
 */
class HeareMeterRegistryCompatibilityTests extends MeterRegistryCompatibilityKit {

	private final InMemoryStatsClient client = new InMemoryStatsClient();

	@Override
	public MeterRegistry registry() {
		return HeareMeterRegistry.builder(HeareConfig.DEFAULT, this.client).clock(new MockClock()).build();
	}

	@Override
	public Duration step() {
		return HeareConfig.DEFAULT.step();
	}

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

}
