package io.heare.stats.collector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests that bad limits stop the collector at start-up, naming the property.
 */
class CollectorSettingsTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "collector.max-names=0 | collector.max-names must be at least 1",
					"collector.max-name-length=0 | collector.max-name-length must be at least 1",
					"collector.reservoir-size=-1 | collector.reservoir-size must be at least 1",
					"collector.max-tcp-connections=0 | collector.max-tcp-connections must be at least 1",
					"collector.tcp-idle-timeout=0s | collector.tcp-idle-timeout must be between 1ms and 24d",
					"collector.history.interval=1ms | collector.history.interval must be at least 10ms",
					"collector.history.length=500ms | collector.history.length must be between" })
	void badLimitFailsAtStartNamingTheProperty(String property, String message) {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(HeareStatsCollectorApplication.class)
				.run("--server.port=0", "--collector.statsd-port=0", "--" + property)
				.close())
			.satisfies((ex) -> assertThat(rootMessage(ex)).contains(message));
	}

	@Test
	void relayWithoutSecretFailsAtStartNamingTheFullProperty() {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(HeareStatsCollectorApplication.class).run("--server.port=0",
					"--collector.statsd-port=0", "--collector.forward.host=127.0.0.1", "--collector.forward.port=9")
				.close())
			.satisfies((ex) -> assertThat(rootMessage(ex))
				.startsWith("collector.forward.secret is required when collector.forward.host is set"));
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

}
