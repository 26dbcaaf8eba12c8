package io.heare.stats.autoconfigure.web;

import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.test.util.ReflectionTestUtils;

import io.heare.stats.servlet.HeareStatsServletFilter;
import io.heare.stats.testsupport.CapturingStatsClient;
import io.heare.stats.webflux.HeareStatsWebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareStatsServletAutoConfiguration} and
 * {@link HeareStatsWebFluxAutoConfiguration}.
 */
class HeareStatsWebAutoConfigurationTests {

	private final WebApplicationContextRunner servletRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HeareStatsServletAutoConfiguration.class));

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HeareStatsWebFluxAutoConfiguration.class));

	@Test
	@SuppressWarnings("unchecked")
	void registersServletFilterFirstForRequestAndAsyncDispatches() {
		this.servletRunner.withUserConfiguration(ClientConfiguration.class).run((context) -> {
			FilterRegistrationBean<HeareStatsServletFilter> registration = context
				.getBean(FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(HeareStatsServletFilter.class);
			assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 1);
			assertThat((EnumSet<DispatcherType>) ReflectionTestUtils.getField(registration, "dispatcherTypes"))
				.containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
		});
	}

	@Test
	void servletFilterBacksOffWithoutAStatsClient() {
		this.servletRunner.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void servletFilterBacksOffWhenDisabled() {
		this.servletRunner.withUserConfiguration(ClientConfiguration.class)
			.withPropertyValues("heare.stats.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void userDefinedServletFilterTakesPrecedence() {
		this.servletRunner.withUserConfiguration(ClientConfiguration.class, UserFilterConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(HeareStatsServletFilter.class)
				.doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void contributesWebFilterInReactiveApplication() {
		this.reactiveRunner.withUserConfiguration(ClientConfiguration.class)
			.withPropertyValues("heare.stats.web.filter-order=5")
			.run((context) -> assertThat(context.getBean(HeareStatsWebFilter.class).getOrder()).isEqualTo(5));
	}

	@Test
	void webFilterBacksOffWhenDisabled() {
		this.reactiveRunner.withUserConfiguration(ClientConfiguration.class)
			.withPropertyValues("heare.stats.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HeareStatsWebFilter.class));
	}

	@Test
	void defaultValuesAreDocumentedOnes() {
		HeareStatsWebProperties properties = new HeareStatsWebProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getBaseName()).isEqualTo("http.server");
		assertThat(properties.getExcludedPaths()).containsExactly("/actuator/**");
	}

	@Configuration(proxyBeanMethods = false)
	static class ClientConfiguration {

		@Bean
		CapturingStatsClient statsClient() {
			return new CapturingStatsClient();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFilterConfiguration {

		@Bean
		HeareStatsServletFilter userFilter() {
			return new HeareStatsServletFilter(new io.heare.stats.web.HttpServerMetrics(CapturingStatsClient::new, "x"),
					new io.heare.stats.web.ExcludedPaths(java.util.List.of()));
		}

	}

}
