package io.heare.stats.sample.webmvc;

import io.heare.stats.test.InMemoryStatsClient;
import org.junit.jupiter.api.Test;

import static io.heare.stats.test.StatsAssert.assertThat;

class OrderServiceMetricsTests {

	private final InMemoryStatsClient stats = new InMemoryStatsClient();

	private final OrderService orders = new OrderService(new OrderRepository(this.stats), this.stats);

	@Test
	void placingAnOrderCountsItAndRecordsItsQuantity() {
		this.orders.create(new NewOrder("coffee", 3));

		assertThat(this.stats).counter("orders.created").isEqualTo(1);
		assertThat(this.stats).histogram("orders.quantity").hasValues(3);
		assertThat(this.stats).counter("db.queries.orders.insert").isEqualTo(1);
		assertThat(this.stats).timer("db.query.duration").hasCount(1);
		assertThat(this.stats).hasNoMetricNamed("jobs.failed");
	}

}
