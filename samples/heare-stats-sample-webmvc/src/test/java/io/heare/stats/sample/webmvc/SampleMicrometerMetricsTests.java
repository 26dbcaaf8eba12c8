package io.heare.stats.sample.webmvc;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's Micrometer meters (JVM, Tomcat, Spring MVC's {@code http.server.requests})
 * reach the collector through the same client as the starter's own metrics, with no
 * set-up beyond the sample's {@code application.yml}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.fulfillment.interval=1h", "management.heare.metrics.export.step=200ms" })
@DirtiesContext
class SampleMicrometerMetricsTests extends SampleEndToEndTestSupport {

	@DynamicPropertySource
	static void reportToTheCollector(DynamicPropertyRegistry registry) {
		registry.add("heare.stats.dest-port", collector::httpPort);
	}

	@Test
	void jvmTomcatAndRequestMetersArriveUnderTheirFlatNames() {
		new SampleClient(this.port).driveMixedTraffic();
		Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			this.stats.flush();
			List<String> names = collector.metrics().names();
			assertThat(names).anyMatch((name) -> name.startsWith("sample.jvm.memory.used.area.heap.id."))
				.anyMatch((name) -> name.startsWith("sample.tomcat.threads."))
				.contains("sample.jvm.threads.live",
						"sample.http.server.requests.error.none.exception.none.method.GET.outcome.SUCCESS.status.200.uri._api_orders__id_");
		});
		assertThat(collector.metrics()
			.timerCount(
					"sample.http.server.requests.error.none.exception.none.method.GET.outcome.SUCCESS.status.200.uri._api_orders__id_"))
			.isPositive();
	}

}
