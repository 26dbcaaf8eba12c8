package io.heare.stats.autoconfigure.micrometer;

import org.junit.jupiter.api.Test;

import io.heare.stats.micrometer.HeareConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareMetricsExportProperties}.
 */
class HeareMetricsExportPropertiesTests {

	@Test
	void defaultValuesAreConsistent() {
		HeareMetricsExportProperties properties = new HeareMetricsExportProperties();
		HeareConfig config = HeareConfig.DEFAULT;
		assertThat(properties.isEnabled()).isEqualTo(config.enabled());
		assertThat(properties.getStep()).isEqualTo(config.step());
		assertThat(properties.getMaxMeters()).isEqualTo(config.maxMeters());
		assertThat(properties.getTags().getAllow()).isEqualTo(config.allowedTags());
		assertThat(properties.getTags().getDeny()).isEqualTo(config.deniedTags());
	}

	@Test
	void theAdapterNamesTheBootPropertiesInValidationMessages() {
		HeareMetricsExportProperties properties = new HeareMetricsExportProperties();
		properties.setMaxMeters(-1);
		assertThat(new HeareMetricsPropertiesConfigAdapter(properties).validate().failures()).singleElement()
			.satisfies((failure) -> assertThat(failure.getProperty())
				.isEqualTo("management.heare.metrics.export.maxMeters"));
	}

	@Test
	void theAdapterNamesTheBootPropertiesInKebabCaseForLogs() {
		assertThat(
				new HeareMetricsPropertiesConfigAdapter(new HeareMetricsExportProperties()).propertyName("maxMeters"))
			.isEqualTo("management.heare.metrics.export.max-meters");
	}

}
