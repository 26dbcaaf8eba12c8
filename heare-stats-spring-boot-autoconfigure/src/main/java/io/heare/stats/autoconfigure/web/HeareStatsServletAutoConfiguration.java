package io.heare.stats.autoconfigure.web;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.DispatcherServlet;

import io.heare.stats.client.StatsClient;
import io.heare.stats.servlet.HeareStatsServletFilter;
import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for request metrics in a Spring MVC
 * application: registers {@link HeareStatsServletFilter} first among the application's
 * filters, for the {@code REQUEST} and {@code ASYNC} dispatcher types.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "io.heare.stats.autoconfigure.HeareStatsAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(StatsClient.class)
@ConditionalOnBooleanProperty(name = "heare.stats.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HeareStatsWebProperties.class)
public final class HeareStatsServletAutoConfiguration {

	@Bean
	@ConditionalOnMissingFilterBean
	FilterRegistrationBean<HeareStatsServletFilter> heareStatsServletFilter(ObjectProvider<StatsClient> statsClient,
			HeareStatsWebProperties properties) {
		HttpServerMetrics metrics = new HttpServerMetrics(SingletonSupplier.of(statsClient::getObject),
				properties.getBaseName());
		HeareStatsServletFilter filter = new HeareStatsServletFilter(metrics,
				new ExcludedPaths(properties.getExcludedPaths()));
		FilterRegistrationBean<HeareStatsServletFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(properties.getFilterOrder());
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		return registration;
	}

}
