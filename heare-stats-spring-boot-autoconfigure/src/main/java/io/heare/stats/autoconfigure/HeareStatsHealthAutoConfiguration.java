package io.heare.stats.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.heare.stats.client.StatsClient;
import io.heare.stats.health.HeareStatsHealthIndicator;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for
 * {@link HeareStatsHealthIndicator}. Turned off with
 * {@code management.health.heare-stats.enabled=false}; reports down while delivery fails
 * only with {@code management.health.heare-stats.down-on-failure=true}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@AutoConfiguration(after = HeareStatsAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnSingleCandidate(StatsClient.class)
@ConditionalOnEnabledHealthIndicator("heare-stats")
@EnableConfigurationProperties(HeareStatsHealthProperties.class)
public final class HeareStatsHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "heareStatsHealthIndicator")
	HeareStatsHealthIndicator heareStatsHealthIndicator(StatsClient heareStatsClient,
			HeareStatsHealthProperties properties) {
		return new HeareStatsHealthIndicator(heareStatsClient, properties.isDownOnFailure());
	}

}
