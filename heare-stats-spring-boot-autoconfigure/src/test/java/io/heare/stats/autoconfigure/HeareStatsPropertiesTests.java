package io.heare.stats.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;

import io.heare.stats.client.StatsClientConfig.Setting;
import io.heare.stats.client.StatsClientConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareStatsProperties}.
 */
class HeareStatsPropertiesTests {

	@Test
	void defaultValuesAreConsistent() {
		HeareStatsProperties properties = new HeareStatsProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getHttp().getSsl().getBundle()).isNull();
		BeanWrapper wrapper = new BeanWrapperImpl(properties);
		List<String> notExposed = new ArrayList<>();
		for (Setting<?> setting : StatsClientConfig.settings()) {
			String path = HeareStatsPropertiesConfigAdapter.beanPath(setting);
			if (wrapper.isReadableProperty(path)) {
				assertThat(wrapper.getPropertyValue(path)).as("default of %s",
						HeareStatsPropertiesConfigAdapter.propertyName(setting.name()))
					.isEqualTo(setting.defaultValue());
				assertThat(wrapper.getPropertyType(path)).as("type of %s", setting)
					.satisfiesAnyOf((type) -> assertThat(type).isEqualTo(setting.type()),
							(type) -> assertThat(type).isPrimitive());
			}
			else {
				notExposed.add(setting.name());
			}
		}
		// Closing at JVM exit is the application context's job in a Spring Boot application.
		assertThat(notExposed).containsExactly("close_on_shutdown");
	}

	@Test
	void toStringNeverShowsTheSecret() {
		HeareStatsProperties properties = new HeareStatsProperties();
		properties.setDestHost("metrics.example.com");
		properties.setSecret("s3cr3t-value");
		assertThat(properties.toString()).contains("metrics.example.com").doesNotContain("s3cr3t-value");
	}

}
