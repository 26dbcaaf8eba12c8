package io.heare.stats.autoconfigure.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.heare.stats.autoconfigure.HeareStatsAutoConfiguration;
import io.heare.stats.client.DropReason;
import io.heare.stats.client.StatsClient;
import io.heare.stats.micrometer.HeareConfig;
import io.heare.stats.micrometer.HeareMeterRegistry;
import io.heare.stats.micrometer.HeareNameMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link HeareMetricsExportAutoConfiguration}.
 */
class HeareMetricsExportAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, HeareStatsAutoConfiguration.class,
				HeareMetricsExportAutoConfiguration.class))
		.withBean(StatsClient.class, () -> mock(StatsClient.class));

	@Test
	void sendsMetersThroughTheApplicationsStatsClient() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HeareMeterRegistry.class).hasSingleBean(HeareConfig.class);
			context.getBean(HeareMeterRegistry.class).counter("orders.created", "region", "eu").increment();
			verify(context.getBean(StatsClient.class)).incr("orders.created.region.eu", 1d);
		});
	}

	@Test
	void sendsThroughTheAutoConfiguredClientWhenTheApplicationHasNone() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, HeareStatsAutoConfiguration.class,
					HeareMetricsExportAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(HeareMeterRegistry.class)
				.hasSingleBean(StatsClient.class));
	}

	@Test
	void backsOffWithoutAClock() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HeareStatsAutoConfiguration.class, HeareMetricsExportAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HeareMeterRegistry.class));
	}

	@Test
	void backsOffWithoutTheHeareRegistryOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HeareMeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(HeareMetricsExportAutoConfiguration.class));
	}

	@Test
	void backsOffWithoutSpringBootsMetricsSupport() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HeareStatsAutoConfiguration.class, HeareMetricsExportAutoConfiguration.class))
			.withBean(Clock.class, () -> Clock.SYSTEM)
			.withClassLoader(new FilteredClassLoader(MetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HeareMeterRegistry.class));
	}

	@Test
	void backsOffWithoutAStatsClient() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, HeareMetricsExportAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HeareMeterRegistry.class));
	}

	@Test
	void autoConfigurationCanBeDisabledWithSpecificEnabledProperty() {
		this.contextRunner.withPropertyValues("management.heare.metrics.export.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HeareMeterRegistry.class)
				.doesNotHaveBean(HeareConfig.class));
	}

	@Test
	void autoConfigurationCanBeDisabledWithDefaultsEnabledProperty() {
		this.contextRunner.withPropertyValues("management.defaults.metrics.export.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HeareMeterRegistry.class));
	}

	@Test
	void specificEnabledPropertyWinsOverTheDefaults() {
		this.contextRunner
			.withPropertyValues("management.defaults.metrics.export.enabled=false",
					"management.heare.metrics.export.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(HeareMeterRegistry.class));
	}

	@Test
	void backsOffWhenHeareStatsIsDisabled() {
		this.contextRunner.withPropertyValues("heare.stats.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HeareMeterRegistry.class));
	}

	@Test
	void bindsTheProperties() {
		this.contextRunner
			.withPropertyValues("management.heare.metrics.export.step=2s",
					"management.heare.metrics.export.max-meters=300",
					"management.heare.metrics.export.tags.allow.http.server.requests=method,status,uri",
					"management.heare.metrics.export.tags.deny.all=application",
					"management.heare.metrics.export.tags.deny[jvm.memory.used][0]=id",
					"management.heare.metrics.export.tags.deny[jvm.memory.used][1]=area")
			.run((context) -> {
				HeareConfig config = context.getBean(HeareConfig.class);
				assertThat(config.step()).isEqualTo(Duration.ofSeconds(2));
				assertThat(config.maxMeters()).isEqualTo(300);
				assertThat(config.allowedTags())
					.containsExactly(Map.entry("http.server.requests", List.of("method", "status", "uri")));
				assertThat(config.deniedTags()).containsOnly(Map.entry("all", List.of("application")),
						Map.entry("jvm.memory.used", List.of("id", "area")));
			});
	}

	@Test
	void appliesTheTagListsToTheNames() {
		this.contextRunner
			.withPropertyValues("management.heare.metrics.export.tags.allow.http.server.requests=method,status")
			.run((context) -> {
				context.getBean(HeareMeterRegistry.class)
					.counter("http.server.requests", "method", "GET", "status", "200", "uri", "/orders")
					.increment();
				verify(context.getBean(StatsClient.class)).incr("http.server.requests.method.GET.status.200", 1d);
			});
	}

	@Test
	void usesTheNameMapperBean() {
		this.contextRunner.withBean(HeareNameMapper.class, () -> (id, convention) -> "custom." + id.getName())
			.run((context) -> {
				context.getBean(HeareMeterRegistry.class).counter("orders", "region", "eu").increment();
				verify(context.getBean(StatsClient.class)).incr("custom.orders", 1d);
			});
	}

	@Test
	void aRegistryCustomizerCanKeepMicrometersRequestMetricsFromHeareOnly() {
		this.contextRunner
			.withBean(MeterRegistryCustomizer.class,
					() -> (MeterRegistryCustomizer<HeareMeterRegistry>) (registry) -> registry.config()
						.meterFilter(MeterFilter.denyNameStartsWith("http.server.requests")))
			.run((context) -> {
				HeareMeterRegistry registry = context.getBean(HeareMeterRegistry.class);
				registry.timer("http.server.requests", "uri", "/orders").record(Duration.ofMillis(3));
				registry.counter("orders").increment();
				StatsClient client = context.getBean(StatsClient.class);
				verify(client).incr("orders", 1d);
				verify(client, never()).time(anyString(), anyDouble());
			});
	}

	@Test
	void allowsCustomConfigToBeUsed() {
		this.contextRunner.withUserConfiguration(CustomConfigConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HeareMeterRegistry.class)
				.hasSingleBean(HeareConfig.class)
				.hasBean("customConfig");
			HeareMeterRegistry registry = context.getBean(HeareMeterRegistry.class);
			registry.counter("orders");
			assertThat(registry.deniedMeters()).isOne();
		});
	}

	@Test
	void allowsCustomRegistryToBeUsed() {
		this.contextRunner.withUserConfiguration(CustomRegistryConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(HeareMeterRegistry.class).hasBean("customRegistry"));
	}

	@Test
	void isTheOnlyRegistryOfTheCompositeInsteadOfTheSimpleOne() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SimpleMeterRegistry.class)
				.getBean(MeterRegistry.class)
				.isInstanceOf(HeareMeterRegistry.class));
	}

	@Test
	void joinsTheCompositeRegistryBesideOtherRegistries() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.withBean("otherRegistry", SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				CompositeMeterRegistry composite = context.getBean(CompositeMeterRegistry.class);
				assertThat(composite.getRegistries()).hasSize(2).hasAtLeastOneElementOfType(HeareMeterRegistry.class);
				composite.counter("orders").increment();
				verify(context.getBean(StatsClient.class)).incr("orders", 1d);
			});
	}

	@Test
	void closesTheRegistryWhenTheContextClosesAndLeavesTheClientToItsOwnLifecycle() {
		this.contextRunner.run((context) -> {
			HeareMeterRegistry registry = context.getBean(HeareMeterRegistry.class);
			context.close();
			assertThat(registry.isClosed()).isTrue();
		});
	}

	@Test
	void publishesTheLastStepIntoTheOpenClientWhenTheContextCloses() {
		assertLastStepArrivesAtClose(
				new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
						HeareStatsAutoConfiguration.class, HeareMetricsExportAutoConfiguration.class)));
	}

	// Without Boot's MetricsAutoConfiguration, whose listener closes registries as the
	// context closes, the registry's lifecycle bean alone must close it before the
	// client.
	@Test
	void publishesTheLastStepIntoTheOpenClientWithoutBootsRegistryCloser() {
		assertLastStepArrivesAtClose(new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HeareStatsAutoConfiguration.class, HeareMetricsExportAutoConfiguration.class))
			.withBean(Clock.class, () -> Clock.SYSTEM));
	}

	private void assertLastStepArrivesAtClose(ApplicationContextRunner runner) {
		HeareMetricsExportIntegrationTests.Receiver receiver = new HeareMetricsExportIntegrationTests.Receiver();
		try {
			runner
				.withPropertyValues("heare.stats.protocol=udp", "heare.stats.dest-host=127.0.0.1",
						"heare.stats.dest-port=" + receiver.port(), "management.heare.metrics.export.step=1h")
				.run((context) -> {
					HeareMeterRegistry registry = context.getBean(HeareMeterRegistry.class);
					StatsClient client = context.getBean(StatsClient.class);
					AtomicInteger queueSize = registry.gauge("queue.size", new AtomicInteger());
					queueSize.set(42);
					context.close();
					assertThat(registry.isClosed()).isTrue();
					assertThat(client.telemetry().dropped(DropReason.CLOSED)).isZero();
					await().atMost(Duration.ofSeconds(20))
						.untilAsserted(() -> assertThat(receiver.lines()).contains("queue.size:42|g"));
				});
		}
		finally {
			receiver.close();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomConfigConfiguration {

		@Bean
		HeareConfig customConfig() {
			return Map.of("heare.maxMeters", "0")::get;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomRegistryConfiguration {

		@Bean
		HeareMeterRegistry customRegistry(StatsClient statsClient) {
			return new HeareMeterRegistry(HeareConfig.DEFAULT, statsClient);
		}

	}

}
