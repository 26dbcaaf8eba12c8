package io.heare.stats.test.autoconfigure;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.support.DependencyInjectionTestExecutionListener;

import io.heare.stats.test.InMemoryStatsClient;

/**
 * {@link TestExecutionListener} that {@linkplain InMemoryStatsClient#reset() resets}
 * every {@link InMemoryStatsClient} of the test context before each test method (before
 * its {@code @BeforeEach} methods), so that a test sees only what it and its set-up
 * record, not what the application recorded while it started or what an earlier test
 * recorded in the same cached context. Tests that run in parallel on one context share
 * its client, and each one's reset clears what the others recorded.
 *
 * @author heare-stats
 */
class ResetInMemoryStatsClientTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public int getOrder() {
		// After the context a test method gets is known (one created for the method by
		// @DirtiesContext included), before @BeforeEach methods, which run after every
		// listener.
		return DependencyInjectionTestExecutionListener.ORDER + 100;
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
