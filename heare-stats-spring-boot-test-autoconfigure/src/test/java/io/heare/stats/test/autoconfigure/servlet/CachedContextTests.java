package io.heare.stats.test.autoconfigure.servlet;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.heare.stats.client.StatsClient;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A cached context that is used again after another one (and so was paused in between)
 * still records into its in-memory client.
 */
class CachedContextTests {

	@Test
	void cachedContextRecordsAfterASwitchToAnotherContextAndBack() {
		EngineTestKit.engine("junit-jupiter")
			.configurationParameter("junit.jupiter.testclass.order.default",
					ClassOrderer.OrderAnnotation.class.getName())
			.selectors(selectClass(UsesTheContext.class), selectClass(UsesAnotherContext.class),
					selectClass(UsesTheContextAgain.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.started(3).succeeded(3));
	}

	abstract static class RecordsAndAsserts {

		@Autowired
		private StatsClient stats;

		@Test
		void recordsAndAsserts() {
			this.stats.incr("orders.created");
			assertThat(this.stats).immediately().counter("test.orders.created").isEqualTo(1);
		}

	}

	@Order(1)
	@SpringBootTest(webEnvironment = WebEnvironment.NONE)
	static class UsesTheContext extends RecordsAndAsserts {

	}

	@Order(2)
	@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = "another=context")
	static class UsesAnotherContext extends RecordsAndAsserts {

	}

	@Order(3)
	@SpringBootTest(webEnvironment = WebEnvironment.NONE)
	static class UsesTheContextAgain extends RecordsAndAsserts {

	}

}
