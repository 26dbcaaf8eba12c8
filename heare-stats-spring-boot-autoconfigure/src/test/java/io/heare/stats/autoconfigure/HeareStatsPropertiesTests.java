package io.heare.stats.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
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
		for (Setting<?> setting : StatsClientConfig.settings()) {
			String path = HeareStatsPropertiesConfigAdapter.beanPath(setting);
			if (wrapper.isReadableProperty(path)) {
				assertThat(wrapper.getPropertyValue(path))
					.as("default of %s", HeareStatsPropertiesConfigAdapter.propertyName(setting.name()))
					.isEqualTo(setting.defaultValue());
			}
		}
	}

	@Test
	void everyPropertyIsACoreSettingOrOneOfTheStartersOwn() {
		Set<String> settings = StatsClientConfig.settings()
			.stream()
			.map(HeareStatsPropertiesConfigAdapter::beanPath)
			.collect(Collectors.toSet());
		// A property the adapter cannot match to a setting would be bound and then
		// ignored.
		assertThat(leafProperties("", HeareStatsProperties.class))
			.allSatisfy((path) -> assertThat(path).as("property path %s", path)
				.isIn(Stream.concat(settings.stream(), Stream.of("enabled", "http.ssl.bundle")).toList()));
		assertThat(settings).as("settings every Spring application sets").contains("destHost", "secret");
	}

	private static List<String> leafProperties(String prefix, Class<?> type) {
		List<String> paths = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			Class<?> propertyType = descriptor.getPropertyType();
			if (propertyType.getEnclosingClass() == HeareStatsProperties.class
					|| propertyType.getEnclosingClass() == HeareStatsProperties.Http.class) {
				paths.addAll(leafProperties(prefix + descriptor.getName() + ".", propertyType));
			}
			else {
				paths.add(prefix + descriptor.getName());
			}
		}
		return paths;
	}

	@Test
	void toStringNeverShowsTheSecret() {
		HeareStatsProperties properties = new HeareStatsProperties();
		properties.setDestHost("metrics.example.com");
		properties.setSecret("s3cr3t-value");
		assertThat(properties.toString()).contains("metrics.example.com").doesNotContain("s3cr3t-value");
	}

}
