package io.heare.stats.autoconfigure.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.micrometer.metrics.autoconfigure.export.properties.PropertiesConfigAdapter;

import io.heare.stats.micrometer.HeareConfig;

/**
 * Adapter to convert {@link HeareMetricsExportProperties} to a {@link HeareConfig}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class HeareMetricsPropertiesConfigAdapter extends PropertiesConfigAdapter<HeareMetricsExportProperties>
		implements HeareConfig {

	/**
	 * Creates an adapter.
	 * @param properties the properties
	 */
	public HeareMetricsPropertiesConfigAdapter(HeareMetricsExportProperties properties) {
		super(properties);
	}

	@Override
	public @Nullable String get(String key) {
		return null;
	}

	@Override
	public String prefix() {
		return "management.heare.metrics.export";
	}

	// Spring Boot's properties are set in kebab case.
	@Override
	public String propertyName(String key) {
		return prefix() + "." + key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
	}

	@Override
	public boolean enabled() {
		return obtain(HeareMetricsExportProperties::isEnabled, HeareConfig.super::enabled);
	}

	@Override
	public Duration step() {
		return obtain(HeareMetricsExportProperties::getStep, HeareConfig.super::step);
	}

	@Override
	public int maxMeters() {
		return obtain(HeareMetricsExportProperties::getMaxMeters, HeareConfig.super::maxMeters);
	}

	@Override
	public Map<String, List<String>> allowedTags() {
		return obtain((properties) -> properties.getTags().getAllow(), HeareConfig.super::allowedTags);
	}

	@Override
	public Map<String, List<String>> deniedTags() {
		return obtain((properties) -> properties.getTags().getDeny(), HeareConfig.super::deniedTags);
	}

}
