package io.heare.stats.sample.webmvc;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.autoconfigure.AutoConfigureHeareStats;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(OrderController.class)
@AutoConfigureHeareStats // the request filter and @Timed / @Counted advice in this slice
@Import({ OrderService.class, OrderRepository.class, InvoiceService.class })
class OrderControllerMetricsTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private StatsClient stats; // in memory: nothing is sent from a test

	@Test
	void placingAnOrderIsCountedAndTimed() {
		assertThat(this.mvc.post()
			.uri("/api/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"product\":\"tea\",\"quantity\":2}")).hasStatus(HttpStatus.CREATED);

		// Names as they are sent: with the prefix from application.yml
		// (heare.stats.prefix).
		assertThat(this.stats).counter("sample.orders.created").isEqualTo(1);
		assertThat(this.stats).timer("sample.orders.create").hasCount(1);
		assertThat(this.stats).counter("sample.http.server.requests.status.201").isEqualTo(1);
		assertThat(this.stats).timer("sample.http.server.route.POST.api_orders.time").hasCount(1);
	}

}
