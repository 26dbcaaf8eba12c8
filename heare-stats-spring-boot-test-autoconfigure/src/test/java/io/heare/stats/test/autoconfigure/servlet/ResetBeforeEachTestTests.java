package io.heare.stats.test.autoconfigure.servlet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.MethodMode;

import io.heare.stats.client.StatsClient;

import static io.heare.stats.test.StatsAssert.assertThat;

/**
 * The in-memory client is reset before each test method, after the test's context is
 * ready (a context created for the method included) and before its own set-up: a test
 * sees neither what the application recorded while it started nor what another test
 * recorded, but does see what its {@code @BeforeEach} recorded.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class ResetBeforeEachTestTests {

	@Autowired
	private StatsClient stats;

	@BeforeEach
	void setUp() {
		this.stats.incr("set.up");
	}

	@Test
	void seesOnlyWhatItsSetUpRecorded() {
		assertThat(this.stats).immediately().counter("test.set.up").isEqualTo(1);
		assertThat(this.stats).hasNoMetricNamed("test.context.started").hasNoMetricNamed("test.recorded.by.a.test");
		this.stats.incr("recorded.by.a.test");
	}

	@Test
	@DirtiesContext(methodMode = MethodMode.BEFORE_METHOD)
	void seesNothingFromTheStartOfAContextCreatedForIt() {
		assertThat(this.stats).immediately().counter("test.set.up").isEqualTo(1);
		assertThat(this.stats).hasNoMetricNamed("test.context.started").hasNoMetricNamed("test.recorded.by.a.test");
		this.stats.incr("recorded.by.a.test");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class RecordsAtStartUp {

		@Bean
		SmartInitializingSingleton recordsAtStartUp(StatsClient stats) {
			return () -> stats.incr("context.started");
		}

	}

}
