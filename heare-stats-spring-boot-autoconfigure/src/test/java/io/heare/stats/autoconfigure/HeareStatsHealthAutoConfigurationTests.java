package io.heare.stats.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.heare.stats.health.HeareStatsHealthIndicator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareStatsHealthAutoConfiguration}.
 */
class HeareStatsHealthAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(HeareStatsAutoConfiguration.class, HeareStatsHealthAutoConfiguration.class));

	@Test
	void registersTheHeareStatsHealthIndicator() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(HeareStatsHealthIndicator.class)
			.hasBean("heareStatsHealthIndicator"));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HeareStatsHealthIndicator.class));
	}

	@Test
	void backsOffWithoutAClient() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HeareStatsHealthAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HeareStatsHealthIndicator.class));
	}

	@Test
	void canBeDisabledWithManagementHealthProperty() {
		this.contextRunner.withPropertyValues("management.health.heare-stats.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HeareStatsHealthIndicator.class));
	}

	@Test
	void allowsCustomIndicatorToBeUsed() {
		this.contextRunner
			.withBean("heareStatsHealthIndicator", HealthIndicator.class,
					() -> () -> org.springframework.boot.health.contributor.Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(HeareStatsHealthIndicator.class)
				.hasBean("heareStatsHealthIndicator"));
	}

}
