package io.heare.stats.autoconfigure.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.DispatcherHandler;

import io.heare.stats.client.StatsClient;
import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;
import io.heare.stats.webflux.HeareStatsWebFilter;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for request metrics in a Spring
 * WebFlux application: contributes {@link HeareStatsWebFilter}, ordered first among the
 * application's web filters.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "io.heare.stats.autoconfigure.HeareStatsAutoConfiguration")
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass(DispatcherHandler.class)
@ConditionalOnBean(StatsClient.class)
@ConditionalOnBooleanProperty(name = "heare.stats.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HeareStatsWebProperties.class)
public final class HeareStatsWebFluxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HeareStatsWebFilter heareStatsWebFilter(ObjectProvider<StatsClient> statsClient,
			HeareStatsWebProperties properties) {
		HttpServerMetrics metrics = new HttpServerMetrics(SingletonSupplier.of(statsClient::getObject),
				properties.getBaseName(), properties.getResponseSize().isEnabled());
		return new HeareStatsWebFilter(metrics, new ExcludedPaths(properties.getExcludedPaths()),
				properties.getFilterOrder());
	}

}
