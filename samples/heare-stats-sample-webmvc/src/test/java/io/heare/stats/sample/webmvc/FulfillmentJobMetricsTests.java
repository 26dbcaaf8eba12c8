package io.heare.stats.sample.webmvc;

import io.heare.stats.test.InMemoryStatsClient;
import org.junit.jupiter.api.Test;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the metrics {@link FulfillmentJob} records, on an in-memory client.
 */
class FulfillmentJobMetricsTests {

	private final InMemoryStatsClient stats = new InMemoryStatsClient();

	private final OrderService orders = new OrderService(new OrderRepository(this.stats), this.stats);

	private final FulfillmentJob job = new FulfillmentJob(this.orders, this.stats, 50);

	@Test
	void runRecordsItsStartQueueSizeDurationAndItems() {
		this.orders.create(new NewOrder("coffee", 1));
		this.orders.create(new NewOrder("tea", 2));
		this.stats.reset();

		assertThat(this.job.run()).isEqualTo(2);

		assertThat(this.stats).counter("jobs.started").isEqualTo(1);
		assertThat(this.stats).gauge("jobs.queue.size").isEqualTo(2);
		assertThat(this.stats).counter("jobs.completed").isEqualTo(1);
		assertThat(this.stats).timer("jobs.duration").hasCount(1);
		assertThat(this.stats).histogram("jobs.items.processed").hasValues(2);
		assertThat(this.stats).hasNoMetricNamed("jobs.failed");
	}

	@Test
	void runOfAnEmptyQueueRecordsZeroItems() {
		assertThat(this.job.run()).isZero();

		assertThat(this.stats).gauge("jobs.queue.size").isEqualTo(0);
		assertThat(this.stats).histogram("jobs.items.processed").hasValues(0);
	}

}
