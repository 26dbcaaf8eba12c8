package io.heare.stats.sample.webmvc;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.autoconfigure.AutoConfigureHeareStats;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What every end-to-end test of the sample shares: the collector running in this JVM, the
 * sample's port and client, and a start from nothing. Each subclass points the sample at
 * the collector port of its protocol with a {@code @DynamicPropertySource}. These tests
 * check what reaches the service, so they opt in to sending: other tests of the sample
 * get an in-memory client.
 */
@AutoConfigureHeareStats(export = true)
abstract class SampleEndToEndTestSupport {

	static final TestCollector collector = TestCollector.shared();

	@LocalServerPort
	int port;

	@Autowired
	StatsClient stats;

	@BeforeEach
	void startFromNothing() {
		this.stats.flush();
		collector.reset();
	}

}
