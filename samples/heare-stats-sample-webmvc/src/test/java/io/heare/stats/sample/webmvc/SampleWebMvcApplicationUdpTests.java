package io.heare.stats.sample.webmvc;

import io.heare.stats.sample.webmvc.TestCollector.Metrics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests for {@link SampleWebMvcApplication} switched to StatsD over UDP with
 * nothing but {@code heare.stats.protocol} and {@code heare.stats.dest-port}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "heare.stats.protocol=udp", "sample.fulfillment.interval=1h" })
@DirtiesContext
class SampleWebMvcApplicationUdpTests extends SampleEndToEndTestSupport {

	@DynamicPropertySource
	static void reportToTheCollectorsStatsdPort(DynamicPropertyRegistry registry) {
		registry.add("heare.stats.dest-port", collector::statsdPort);
	}

	@Test
	void reportsTheSameMetricsAsStatsdLines() {
		new SampleClient(this.port).driveMixedTraffic();
		Metrics metrics = collector.awaitCounter(this.stats, "sample.http.server.requests.total",
				SampleClient.MIXED_TRAFFIC_REQUESTS);
		assertThat(metrics.counter("sample.http.server.requests.status.503")).isEqualTo(1);
		assertThat(metrics.timerCount("sample.http.server.route.GET.api_orders_id.time")).isEqualTo(7);
		assertThat(metrics.counter("sample.orders.get.success")).isEqualTo(7);
		assertThat(metrics.counter("sample.orders.invoice.error")).isEqualTo(1);
		assertThat(metrics.counter("sample.orders.created")).isEqualTo(3);
		assertThat(metrics.timerCount("sample.db.query.duration")).isEqualTo(13);
		assertThat(metrics.total("statsdLines")).isPositive();
		assertThat(metrics.total("statsdBadLines")).isZero();
		assertThat(metrics.total("requestsAccepted")).isZero();
	}

}
