package io.heare.stats.test.autoconfigure.servlet;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import io.heare.stats.client.StatsClient;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @WebMvcTest} of a controller that injects {@link StatsClient} works without
 * anything from the test; the request filter and {@code @Timed} advice are not part of
 * the slice until it asks for them.
 */
@WebMvcTest(OrderController.class)
class WebMvcSliceTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private StatsClient stats;

	@Test
	void controllerRecordsIntoTheInMemoryClient() {
		assertThat(this.mvc.get().uri("/orders/7")).hasStatusOk().hasBodyTextEqualTo("order 7");
		assertThat(this.stats).counter("test.orders.viewed").isEqualTo(1);
		assertThat(this.stats).hasNoMetricNamed("test.http.server.requests.total").hasNoMetricNamed("test.orders.get");
	}

}
