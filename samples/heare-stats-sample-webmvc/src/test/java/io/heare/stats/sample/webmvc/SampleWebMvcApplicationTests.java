package io.heare.stats.sample.webmvc;

import com.jayway.jsonpath.JsonPath;
import io.heare.stats.sample.webmvc.TestCollector.Metrics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests for {@link SampleWebMvcApplication}: the sample, configured as in its
 * {@code application.yml}, reports over HTTP to a real collector, and the tests read back
 * what the collector holds. What the application records is tested on the in-memory
 * client ({@link SampleWebMvcApplicationMetricsTests}); these tests check that it
 * arrives.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.fulfillment.interval=1h")
@DirtiesContext
class SampleWebMvcApplicationTests extends SampleEndToEndTestSupport {

	@DynamicPropertySource
	static void reportToTheCollector(DynamicPropertyRegistry registry) {
		registry.add("heare.stats.dest-port", collector::httpPort);
	}

	@Test
	void countsEveryRequestByStatusAndRoute() {
		new SampleClient(this.port).driveMixedTraffic();
		Metrics metrics = collector.awaitCounter(this.stats, "sample.http.server.requests.total",
				SampleClient.MIXED_TRAFFIC_REQUESTS);
		assertThat(metrics.counter("sample.http.server.requests.method.GET")).isEqualTo(11);
		assertThat(metrics.counter("sample.http.server.requests.method.POST")).isEqualTo(3);
		assertThat(metrics.counter("sample.http.server.requests.status.200")).isEqualTo(8);
		assertThat(metrics.counter("sample.http.server.requests.status.201")).isEqualTo(3);
		assertThat(metrics.counter("sample.http.server.requests.status.404")).isEqualTo(2);
		assertThat(metrics.counter("sample.http.server.requests.status.503")).isEqualTo(1);
		assertThat(metrics.counter("sample.http.server.requests.success")).isEqualTo(13);
		assertThat(metrics.counter("sample.http.server.requests.error")).isEqualTo(1);
		assertThat(metrics.timerCount("sample.http.server.response.time")).isEqualTo(14);
		assertThat(metrics.timerCount("sample.http.server.route.GET.api_orders_id.time")).isEqualTo(7);
		assertThat(metrics.timerCount("sample.http.server.route.POST.api_orders.time")).isEqualTo(3);
		assertThat(metrics.timerCount("sample.http.server.route.GET.api_orders_id_invoice.time")).isEqualTo(3);
		assertThat(metrics.timerCount("sample.http.server.route.GET.NOT_FOUND.time")).isEqualTo(1);
	}

	@Test
	void healthEndpointShowsMetricsBeingDelivered() {
		SampleClient client = new SampleClient(this.port);
		client.driveMixedTraffic();
		collector.awaitCounter(this.stats, "sample.http.server.requests.total", SampleClient.MIXED_TRAFFIC_REQUESTS);
		String health = client.body(200, "/actuator/health");
		assertThat((String) JsonPath.read(health, "$.status")).isEqualTo("UP");
		assertThat((String) JsonPath.read(health, "$.components.heareStats.status")).isEqualTo("UP");
		assertThat((Boolean) JsonPath.read(health, "$.components.heareStats.details.delivering")).isTrue();
		assertThat((Integer) JsonPath.read(health, "$.components.heareStats.details.requests")).isPositive();
		assertThat(health).doesNotContain("dev-secret");
	}

}
