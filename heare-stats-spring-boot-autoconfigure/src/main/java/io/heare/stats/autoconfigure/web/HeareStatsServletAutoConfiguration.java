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

import io.heare.stats.aop.ControllerMethods;
import io.heare.stats.client.StatsClient;
import io.heare.stats.servlet.HandledExceptions;
import io.heare.stats.servlet.HeareStatsServletFilter;
import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for request metrics in a Spring MVC
 * application: registers {@link HeareStatsServletFilter} first among the application's
 * filters, for the {@code REQUEST} and {@code ASYNC} dispatcher types. The filter also
 * records {@code @Timed} and {@code @Counted} for controllers' handler methods (see
 * {@link ControllerMethods}). An exception resolver that only counts
 * ({@link HandledExceptions}) tells the filter when a request may have had an exception
 * turned into its response.
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

	/**
	 * The {@code @Timed} and {@code @Counted} metrics of controllers' handler methods,
	 * which the filter records (the advice then leaves controllers unproxied), unless the
	 * application registers its own filter. Declared before the filter, whose own
	 * registration would otherwise fail the condition.
	 */
	@Bean
	@ConditionalOnMissingFilterBean(HeareStatsServletFilter.class)
	@ConditionalOnBooleanProperty(name = "heare.stats.aop.enabled", matchIfMissing = true)
	ControllerMethods heareStatsControllerMethods(ObjectProvider<StatsClient> statsClient) {
		return new ControllerMethods(SingletonSupplier.of(statsClient::getObject));
	}

	/**
	 * Counts the exceptions that reach Spring MVC's exception resolvers, for the filter.
	 * Declared before the filter, like the controller methods' metrics.
	 */
	@Bean
	@ConditionalOnMissingFilterBean(HeareStatsServletFilter.class)
	HandledExceptions heareStatsHandledExceptions() {
		return new HandledExceptions();
	}

	@Bean
	@ConditionalOnMissingFilterBean
	FilterRegistrationBean<HeareStatsServletFilter> heareStatsServletFilter(ObjectProvider<StatsClient> statsClient,
			HeareStatsWebProperties properties, ObjectProvider<ControllerMethods> controllerMethods,
			ObjectProvider<HandledExceptions> handledExceptions) {
		HttpServerMetrics metrics = new HttpServerMetrics(SingletonSupplier.of(statsClient::getObject),
				properties.getBaseName(), properties.getResponseSize().isEnabled());
		HeareStatsServletFilter filter = new HeareStatsServletFilter(metrics,
				new ExcludedPaths(properties.getExcludedPaths()), controllerMethods.getIfAvailable(),
				handledExceptions.getIfAvailable());
		FilterRegistrationBean<HeareStatsServletFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(properties.getFilterOrder());
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		return registration;
	}

}
