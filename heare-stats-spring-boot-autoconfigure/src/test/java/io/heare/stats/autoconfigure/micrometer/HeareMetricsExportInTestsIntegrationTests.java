package io.heare.stats.autoconfigure.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import io.heare.stats.micrometer.HeareMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a {@code @SpringBootTest}, Spring Boot turns metrics export off
 * ({@code management.defaults.metrics.export.enabled=false}) unless the test asks for it,
 * and heare's registry follows that like Boot's own: the test gets the simple registry.
 */
@SpringBootTest(classes = HeareMetricsExportInTestsIntegrationTests.TestApplication.class,
		properties = { "heare.stats.protocol=udp", "heare.stats.dest-host=127.0.0.1", "heare.stats.dest-port=9" })
class HeareMetricsExportInTestsIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void metersAreNotSentToHeareFromATestUnlessAsked() {
		assertThat(this.context.getBeansOfType(HeareMeterRegistry.class)).isEmpty();
		assertThat(this.meterRegistry).isInstanceOf(SimpleMeterRegistry.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
