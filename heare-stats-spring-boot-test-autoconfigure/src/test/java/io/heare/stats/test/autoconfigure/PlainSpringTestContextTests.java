package io.heare.stats.test.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.InMemoryStatsClient;

import static io.heare.stats.test.StatsAssert.assertThat;

/**
 * A Spring test context that is not a Spring Boot one gets the in-memory client too.
 */
@SpringJUnitConfig
class PlainSpringTestContextTests {

	@Autowired
	private Checkout checkout;

	@Autowired
	private StatsClient stats;

	@Test
	void componentsGetTheInMemoryClient() {
		this.checkout.complete();
		assertThat(this.stats).isInstanceOf(InMemoryStatsClient.class);
		assertThat(this.stats).counter("checkout.completed").isEqualTo(1);
	}

	static class Checkout {

		private final StatsClient stats;

		Checkout(StatsClient stats) {
			this.stats = stats;
		}

		void complete() {
			this.stats.incr("checkout.completed");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		Checkout checkout(StatsClient stats) {
			return new Checkout(stats);
		}

	}

}
