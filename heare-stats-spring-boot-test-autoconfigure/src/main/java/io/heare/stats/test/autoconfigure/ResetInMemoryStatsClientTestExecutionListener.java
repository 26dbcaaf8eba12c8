package io.heare.stats.test.autoconfigure;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

import io.heare.stats.test.InMemoryStatsClient;

/**
 * {@link TestExecutionListener} that {@linkplain InMemoryStatsClient#reset() resets}
 * every {@link InMemoryStatsClient} of an already loaded test context before each test
 * method, so that a test sees only what it records, not what the application recorded
 * while it started or what an earlier test recorded in the same cached context.
 *
 * @author heare-stats
 */
class ResetInMemoryStatsClientTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public int getOrder() {
		// Before the test's own listeners and @BeforeEach methods, which may record.
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext()
				.getBeanProvider(InMemoryStatsClient.class)
				.forEach(InMemoryStatsClient::reset);
		}
	}

}
