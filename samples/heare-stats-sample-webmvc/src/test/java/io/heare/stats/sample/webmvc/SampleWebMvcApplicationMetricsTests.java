package io.heare.stats.sample.webmvc;

import io.heare.stats.client.StatsClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.heare.stats.sample.webmvc.SampleClient.MIXED_TRAFFIC_REQUESTS;
import static io.heare.stats.test.StatsAssert.assertThat;

/**
 * What {@link SampleWebMvcApplication} records, on a real server, asserted on the
 * in-memory client that the test context holds in place of the one its
 * {@code application.yml} describes (nothing is sent from these tests).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.fulfillment.interval=1h")
class SampleWebMvcApplicationMetricsTests {

	@LocalServerPort
	private int port;

	@Autowired
	private StatsClient stats;

	@Test
	void timesAnnotatedMethodsAndCountsTheirOutcomes() {
		new SampleClient(this.port).driveMixedTraffic();
		assertThat(this.stats).counter("sample.http.server.requests.total").isEqualTo(MIXED_TRAFFIC_REQUESTS);
		assertThat(this.stats).timer("sample.orders.get").hasCount(7);
		assertThat(this.stats).counter("sample.orders.get.success").isEqualTo(7);
		assertThat(this.stats).timer("sample.orders.create").hasCount(3);
		assertThat(this.stats).counter("sample.orders.create.success").isEqualTo(3);
		assertThat(this.stats).counter("sample.orders.invoice.success").isEqualTo(2);
		assertThat(this.stats).counter("sample.orders.invoice.error").isEqualTo(1);
		assertThat(this.stats).counter("sample.orders.invoice.error.InvoiceUnavailableException").isEqualTo(1);
		assertThat(this.stats).counter("sample.invoices.rendered").isEqualTo(3);
		assertThat(this.stats).counter("sample.invoices.rendered.error").isEqualTo(1);
	}

	@Test
	void reportsOrderAndDatabaseMetricsFromPipelines() {
		new SampleClient(this.port).driveMixedTraffic();
		assertThat(this.stats).counter("sample.http.server.requests.total").isEqualTo(MIXED_TRAFFIC_REQUESTS);
		assertThat(this.stats).counter("sample.orders.created").isEqualTo(3);
		assertThat(this.stats).histogram("sample.orders.quantity").hasValues(2, 1, 3);
		// 3 inserts, 7 reads of an order, 3 reads for an invoice
		assertThat(this.stats).counter("sample.db.queries.total").isEqualTo(13);
		assertThat(this.stats).counter("sample.db.queries.orders.insert").isEqualTo(3);
		assertThat(this.stats).counter("sample.db.queries.orders.select").isEqualTo(10);
		assertThat(this.stats).timer("sample.db.query.duration").hasCount(13);
		assertThat(this.stats).histogram("sample.db.rows.returned").hasCount(13);
	}

}
