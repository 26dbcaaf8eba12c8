package io.heare.stats.autoconfigure.web;

import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.heare.stats.annotation.Timed;
import io.heare.stats.aop.ControllerMethods;
import io.heare.stats.aop.StatsAnnotationAdvisor;
import io.heare.stats.autoconfigure.aop.HeareStatsAopAutoConfiguration;
import io.heare.stats.servlet.HandledExceptions;
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
				.doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean(HandledExceptions.class));
	}

	@Test
	void theServletFilterIsToldOfHandledExceptionsByAResolverOrderedFirst() {
		this.servletRunner.withUserConfiguration(ClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HandledExceptions.class);
			HandledExceptions handledExceptions = context.getBean(HandledExceptions.class);
			assertThat(context.getBean(FilterRegistrationBean.class).getFilter())
				.hasFieldOrPropertyWithValue("handledExceptions", handledExceptions);
			assertThat(handledExceptions.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
		});
	}

	@Test
	void theServletFilterMeasuresControllersSoTheAdviceLeavesThemUnproxied() {
		withAdvice().run((context) -> {
			assertThat(context).hasSingleBean(ControllerMethods.class);
			assertThat(AopUtils.isAopProxy(context.getBean(TimedController.class))).isFalse();
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "our filter turned off", "a filter of the application's own" })
	void controllersAreProxiedAndMeasuredByTheAdviceWhenNoFilterOfOursMeasuresThem(String setting) {
		WebApplicationContextRunner runner = setting.startsWith("our")
				? withAdvice().withPropertyValues("heare.stats.web.enabled=false")
				: withAdvice().withUserConfiguration(UserFilterConfiguration.class);
		runner.run((context) -> {
			assertThat(context).doesNotHaveBean(ControllerMethods.class);
			TimedController controller = context.getBean(TimedController.class);
			assertThat(AopUtils.isAopProxy(controller)).isTrue();
			controller.hello();
			assertThat(context.getBean(CapturingStatsClient.class).names()).containsExactly("hello", "hello.success");
		});
	}

	@Test
	void withSpringAopAutoOffTheFilterStillMeasuresControllers() {
		withAdvice().withPropertyValues("spring.aop.auto=false").run((context) -> {
			assertThat(context).hasSingleBean(ControllerMethods.class).doesNotHaveBean(StatsAnnotationAdvisor.class);
			assertThat(AopUtils.isAopProxy(context.getBean(TimedController.class))).isFalse();
		});
	}

	@Test
	void controllerMethodsAreNotMeasuredWhenTheAnnotationsAreTurnedOff() {
		withAdvice().withPropertyValues("heare.stats.aop.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ControllerMethods.class)
				.hasSingleBean(FilterRegistrationBean.class));
	}

	private WebApplicationContextRunner withAdvice() {
		return this.servletRunner
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, HeareStatsAopAutoConfiguration.class))
			.withUserConfiguration(ClientConfiguration.class, TimedController.class);
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
		assertThat(properties.getResponseSize().isEnabled()).isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	static class ClientConfiguration {

		@Bean
		CapturingStatsClient statsClient() {
			return new CapturingStatsClient();
		}

	}

	@RestController
	static class TimedController {

		@Timed("hello")
		@GetMapping("/hello")
		String hello() {
			return "hello";
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
