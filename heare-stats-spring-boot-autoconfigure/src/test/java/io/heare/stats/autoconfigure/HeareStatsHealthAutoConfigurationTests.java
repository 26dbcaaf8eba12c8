package io.heare.stats.autoconfigure;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Telemetry;
import io.heare.stats.health.HeareStatsHealthIndicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

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
	void reportsAFailingClientAsUpUnlessToldToReportItDown() {
		ApplicationContextRunner failing = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HeareStatsHealthAutoConfiguration.class))
			.withBean(StatsClient.class, HeareStatsHealthAutoConfigurationTests::failingClient);
		failing.run((context) -> assertThat(context.getBean(HeareStatsHealthIndicator.class).health())
			.satisfies((health) -> {
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("delivering", false);
			}));
		failing.withPropertyValues("management.health.heare-stats.down-on-failure=true")
			.run((context) -> assertThat(context.getBean(HeareStatsHealthIndicator.class).health().getStatus())
				.isEqualTo(Status.DOWN));
	}

	@Test
	void bindsDownOnFailureWithRelaxedNamesThroughItsPropertiesClass() {
		this.contextRunner.withPropertyValues("management.health.heare-stats.downOnFailure=true")
			.run((context) -> assertThat(context.getBean(HeareStatsHealthProperties.class).isDownOnFailure()).isTrue());
		this.contextRunner.run(
				(context) -> assertThat(context.getBean(HeareStatsHealthProperties.class).isDownOnFailure()).isFalse());
	}

	@Test
	void failsAtStartUpOnADownOnFailureThatIsNotABoolean() {
		this.contextRunner.withPropertyValues("management.health.heare-stats.down-on-failure=sometimes")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("sometimes"));
	}

	private static StatsClient failingClient() {
		StatsClient client = mock(StatsClient.class);
		Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
		given(client.telemetry()).willReturn(new Telemetry(1, 0, 0, 0, dropped, 3, 1, null, Instant.now(),
				"ConnectException connecting to http://127.0.0.1:1/http", 1));
		return client;
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
