package io.heare.stats.test.autoconfigure.servlet;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.autoconfigure.AutoConfigureHeareStats;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @WebMvcTest} that asks for heare stats with {@link AutoConfigureHeareStats}:
 * the request filter and {@code @Timed} advice record into the in-memory client.
 */
@WebMvcTest(OrderController.class)
@AutoConfigureHeareStats
class WebMvcSliceWithHeareStatsTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private StatsClient stats;

	@Test
	void requestFilterAndTimedAdviceRecord() {
		assertThat(this.mvc.get().uri("/orders/7")).hasStatusOk();
		assertThat(this.stats).counter("test.http.server.requests.total").isEqualTo(1);
		assertThat(this.stats).timer("test.http.server.route.GET.orders_id.time").hasCount(1);
		assertThat(this.stats).timer("test.orders.get").hasCount(1);
		assertThat(this.stats).counter("test.orders.get.success").isEqualTo(1);
		assertThat(this.stats).counter("test.orders.viewed").isEqualTo(1);
	}

}
