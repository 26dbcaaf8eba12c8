package io.heare.stats.test.autoconfigure.webflux;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.heare.stats.client.StatsClient;

import static io.heare.stats.test.StatsAssert.assertThat;

/**
 * A {@code @WebFluxTest} of a controller that injects {@link StatsClient} works without
 * anything from the test; the web filter is not part of the slice until it asks for it.
 */
@WebFluxTest(ReactiveOrderController.class)
class WebFluxSliceTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private StatsClient stats;

	@Test
	void controllerRecordsIntoTheInMemoryClient() {
		this.client.get().uri("/orders/7").exchange().expectStatus().isOk();
		assertThat(this.stats).counter("test.orders.viewed").isEqualTo(1);
		assertThat(this.stats).hasNoMetricNamed("test.http.server.requests.total");
	}

}
