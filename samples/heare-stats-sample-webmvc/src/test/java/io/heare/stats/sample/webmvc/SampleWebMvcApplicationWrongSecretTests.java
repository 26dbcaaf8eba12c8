package io.heare.stats.sample.webmvc;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.heare.stats.client.DropReason;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests for {@link SampleWebMvcApplication} with a secret the collector does
 * not accept: metrics are refused, the application is not affected.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "heare.stats.secret=not-the-secret", "sample.fulfillment.interval=1h" })
@DirtiesContext
class SampleWebMvcApplicationWrongSecretTests extends SampleEndToEndTestSupport {

	@DynamicPropertySource
	static void reportToTheCollector(DynamicPropertyRegistry registry) {
		registry.add("heare.stats.dest-port", collector::httpPort);
	}

	@Test
	void keepsServingWhileTheCollectorRejectsItsMetrics() {
		SampleClient client = new SampleClient(this.port);
		long id = client.createOrder("coffee", 1);
		for (int i = 0; i < 5; i++) {
			assertThat(client.get("/api/orders/" + id)).isEqualTo(200);
		}
		Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(this.stats.flush()).isFalse();
			assertThat(this.stats.telemetry().dropped(DropReason.REJECTED)).isPositive();
			assertThat(collector.metrics().total("rejectedUnauthorized")).isPositive();
		});
		TestCollector.Metrics metrics = collector.metrics();
		assertThat(metrics.total("requestsAccepted")).isZero();
		assertThat(metrics.names()).noneMatch((name) -> name.startsWith("sample."));
		assertThat(client.get("/api/orders/" + id)).isEqualTo(200);
	}

	@Test
	void healthEndpointShowsTheRejectionWithoutTakingTheApplicationDown() {
		SampleClient client = new SampleClient(this.port);
		client.createOrder("tea", 1);
		Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.stats.telemetry().dropped(DropReason.REJECTED)).isPositive());
		String health = client.body(200, "/actuator/health");
		assertThat((String) JsonPath.read(health, "$.status")).isEqualTo("UP");
		assertThat((Boolean) JsonPath.read(health, "$.components.heareStats.details.delivering")).isFalse();
		assertThat((String) JsonPath.read(health, "$.components.heareStats.details.error")).contains("401");
		assertThat(health).doesNotContain("not-the-secret");
	}

}
