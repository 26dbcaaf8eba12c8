package io.heare.stats.test.autoconfigure.webflux;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.autoconfigure.AutoConfigureHeareStats;

import static io.heare.stats.test.StatsAssert.assertThat;

/**
 * A {@code @WebFluxTest} that asks for heare stats with {@link AutoConfigureHeareStats}:
 * the web filter and {@code @Timed} advice record into the in-memory client.
 */
@WebFluxTest(ReactiveOrderController.class)
@AutoConfigureHeareStats
class WebFluxSliceWithHeareStatsTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private StatsClient stats;

	@Test
	void webFilterAndTimedAdviceRecord() {
		this.client.get()
			.uri("/orders/7")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("order 7");
		assertThat(this.stats).counter("test.http.server.requests.total").isEqualTo(1);
		assertThat(this.stats).timer("test.http.server.route.GET.orders_id.time").hasCount(1);
		assertThat(this.stats).timer("test.orders.get").hasCount(1);
		assertThat(this.stats).counter("test.orders.viewed").isEqualTo(1);
	}

}
