package io.heare.stats.client;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what a client logs when it starts: where metrics go, and a warning when the
 * secret would travel in clear text beyond this host. The test logger (slf4j-simple)
 * writes to standard error.
 */
class StartUpLogTests {

	@Test
	void oneLineSaysProtocolDestinationAndPrefixButNeverTheSecret() {
		String log = logOf(() -> StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(18099)
			.secret("t0p-s3cret")
			.prefix("shop")
			.build()));
		assertThat(log)
			.contains("heare stats client started: protocol http, destination http://127.0.0.1:18099/http, "
					+ "prefix 'shop'")
			.doesNotContain("t0p-s3cret")
			.doesNotContain("unencrypted");
	}

	@Test
	void aSecretSentInClearTextToAnotherHostIsWarnedAbout() {
		String log = logOf(() -> StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("192.0.2.10")
			.destPort(8080)
			.secret("t0p-s3cret")
			.build()));
		assertThat(log).contains("WARN").contains("unencrypted http to 192.0.2.10").doesNotContain("t0p-s3cret");
		assertThat(logOf(() -> StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.WS)
			.destHost("metrics.example.com")
			.destPort(8080)
			.secret("x")
			.build()))).contains("unencrypted ws to metrics.example.com");
		assertThat(logOf(() -> StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("metrics.example.com")
			.destPort(443)
			.secret("x")
			.build()))).doesNotContain("unencrypted");
		assertThat(logOf(() -> StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.UDP)
			.destHost("192.0.2.10")
			.destPort(8125)
			.secret("x")
			.build()))).doesNotContain("unencrypted");
	}

	@Test
	void loopbackIsRecognisedWithoutANameLookup() {
		assertThat(AbstractStatsClient.isLoopback("localhost")).isTrue();
		assertThat(AbstractStatsClient.isLoopback("127.0.0.1")).isTrue();
		assertThat(AbstractStatsClient.isLoopback("127.3.4.5")).isTrue();
		assertThat(AbstractStatsClient.isLoopback("::1")).isTrue();
		assertThat(AbstractStatsClient.isLoopback("[::1]")).isTrue();
		assertThat(AbstractStatsClient.isLoopback("10.0.0.1")).isFalse();
		assertThat(AbstractStatsClient.isLoopback("metrics.example.com")).isFalse();
	}

	private static String logOf(Supplier<StatsClient> start) {
		PrintStream original = System.err;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
		StatsClient client;
		try {
			client = start.get();
		}
		finally {
			System.setErr(original);
		}
		client.close();
		return captured.toString(StandardCharsets.UTF_8);
	}

}
