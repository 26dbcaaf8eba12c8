package io.heare.stats.autoconfigure.micrometer;

import io.micrometer.core.instrument.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.ConditionalOnEnabledMetricsExport;
import org.springframework.context.annotation.Bean;

import io.heare.stats.autoconfigure.HeareStatsAutoConfiguration;
import io.heare.stats.client.StatsClient;
import io.heare.stats.micrometer.HeareConfig;
import io.heare.stats.micrometer.HeareMeterRegistry;
import io.heare.stats.micrometer.HeareNameMapper;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for exporting every Micrometer meter
 * of the application to heare, through the application's {@link StatsClient}. The
 * {@link HeareMeterRegistry} joins Spring Boot's composite registry, so Boot's binders,
 * filters and {@code MeterRegistryCustomizer}s apply to it as to any other registry.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" },
		after = HeareStatsAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass({ HeareMeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean(Clock.class)
@ConditionalOnSingleCandidate(StatsClient.class)
@ConditionalOnBooleanProperty(name = "heare.stats.enabled", matchIfMissing = true)
@ConditionalOnEnabledMetricsExport("heare")
@EnableConfigurationProperties(HeareMetricsExportProperties.class)
public final class HeareMetricsExportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HeareConfig heareConfig(HeareMetricsExportProperties properties) {
		return new HeareMetricsPropertiesConfigAdapter(properties);
	}

	@Bean
	StatsClientAttacher heareMeterRegistryStatsClientAttacher(ObjectProvider<StatsClient> statsClient) {
		return new StatsClientAttacher(statsClient);
	}

	@Bean
	static LazyInitializationExcludeFilter heareMeterRegistryStatsClientAttacherLazyInitializationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(StatsClientAttacher.class);
	}

	// The client is attached once every singleton exists: the application's client may
	// depend on the ObservationRegistry, which depends on this registry.
	@Bean
	@ConditionalOnMissingBean
	HeareMeterRegistry heareMeterRegistry(HeareConfig heareConfig, Clock clock,
			StatsClientAttacher heareMeterRegistryStatsClientAttacher, ObjectProvider<HeareNameMapper> nameMapper) {
		return HeareMeterRegistry.builder(heareConfig, heareMeterRegistryStatsClientAttacher.client())
			.clock(clock)
			.nameMapper(nameMapper.getIfAvailable(() -> HeareNameMapper.DEFAULT))
			.build();
	}

	@Bean
	HeareMeterRegistryLifecycle heareMeterRegistryLifecycle(ObjectProvider<HeareMeterRegistry> heareMeterRegistries) {
		return new HeareMeterRegistryLifecycle(heareMeterRegistries);
	}

}
