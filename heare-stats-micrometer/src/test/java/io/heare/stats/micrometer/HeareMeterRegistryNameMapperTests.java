package io.heare.stats.micrometer;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.heare.stats.client.StatsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@link HeareMeterRegistry} with a {@link HeareNameMapper} that fails: the caller asking
 * for a meter gets one, named by the default mapping.
 */
class HeareMeterRegistryNameMapperTests {

	private final HeareMeterRegistry registry = HeareMeterRegistry.builder(HeareConfig.DEFAULT, StatsClient.noop())
		.nameMapper((id, convention) -> {
			throw new IllegalStateException("broken mapper");
		})
		.build();

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void aFailingNameMapperDoesNotReachTheCallerAndTheDefaultMappingStandsIn() {
		assertThatNoException().isThrownBy(() -> this.registry.counter("orders", "region", "eu").increment());
		Counter counter = this.registry.get("orders").counter();
		assertThat(counter.count()).isEqualTo(1);
		assertThat(this.registry.heareName(counter.getId())).isEqualTo("orders.region.eu");
	}

}
