package io.heare.stats.client;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StatsClientConfig}.
 */
class StatsClientConfigTests {

	private static StatsClientConfig.Builder udp() {
		return StatsClientConfig.builder().protocol(Protocol.UDP).destHost("127.0.0.1").destPort(8125);
	}

	@Test
	void everySettingHasAUniqueNameADescriptionAndWhatItAllows() {
		Set<String> names = new HashSet<>();
		for (StatsClientConfig.Setting<?> setting : StatsClientConfig.settings()) {
			assertThat(names.add(setting.name())).as("unique name %s", setting).isTrue();
			assertThat(setting.name()).matches("[a-z_]+(\\.[a-z_]+)?");
			assertThat(setting.description()).as("description of %s", setting).endsWith(".");
			assertThat(setting.allowed()).as("allowed of %s", setting).isNotBlank();
		}
	}

	@Test
	void aConfigHoldsEveryDefaultUntilSet() {
		StatsClientConfig config = udp().build();
		for (StatsClientConfig.Setting<?> setting : StatsClientConfig.settings()) {
			if (setting != StatsClientConfig.PROTOCOL && setting != StatsClientConfig.DEST_HOST
					&& setting != StatsClientConfig.DEST_PORT) {
				assertThat((Object) config.get(setting)).as("%s", setting).isEqualTo(setting.defaultValue());
			}
		}
		assertThat(config.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
	}

	@Test
	void everyDefaultIsValid() {
		StatsClientConfig.Builder builder = udp();
		for (StatsClientConfig.Setting<?> setting : StatsClientConfig.settings()) {
			setting.check(setting.defaultValue() != null ? setting.defaultValue() : builder.build().get(setting));
		}
	}

	@Test
	void onlyThePythonClientsSettingsHaveAnEnvironmentVariable() {
		List<String> variables = StatsClientConfig.settings()
			.stream()
			.map(StatsClientConfig.Setting::environmentVariable)
			.filter((variable) -> variable != null)
			.toList();
		assertThat(variables).containsExactly("STATS_CLIENT_SETTINGS__PROTOCOL", "STATS_CLIENT_SETTINGS__DEST_HOST",
				"STATS_CLIENT_SETTINGS__DEST_PORT", "STATS_CLIENT_SETTINGS__SECRET", "STATS_CLIENT_SETTINGS__PREFIX");
	}

	@Test
	void aValueOutsideItsRangeIsRefusedNamingTheSettingAndWhatItAllows() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> udp().set(StatsClientConfig.MAX_NAMES, 0).build())
			.withMessage("Invalid value '0' for setting 'max_names': a whole number of at least 1");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> udp().set(StatsClientConfig.FLUSH_TIMEOUT, Duration.ZERO).build())
			.withMessage("Invalid value 'PT0S' for setting 'flush_timeout': a positive duration");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> udp().set(StatsClientConfig.HTTP_MAX_BATCH_BYTES, 1023).build())
			.withMessage("Invalid value '1023' for setting 'http.max_batch_bytes': a size of at least 1024 bytes");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> udp().set(StatsClientConfig.STATSD_FLAVOR, null).build())
			.withMessage("Invalid value (none) for setting 'statsd.flavor': one of heare, etsy, datadog");
	}

	@Test
	void aDestinationThatIsNoHostIsRefusedAtBuildNamingTheSetting() {
		for (String notAHost : List.of("https://metrics.example.com", "metrics.example.com:8125", "${METRICS_HOST}",
				"metrics host", "metrics.example.com/path")) {
			assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> udp().destHost(notAHost).build())
				.withMessageContaining("'dest_host'")
				.withMessageContaining("without scheme, port or path");
		}
		for (String host : List.of("metrics.example.com", "10.0.0.7", "::1", "fe80::1%eth0", "localhost")) {
			assertThat(udp().destHost(host).build().destHost()).isEqualTo(host);
		}
	}

	@Test
	void aMissingPortHasTheSameWordingAsAnInvalidOne() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StatsClientConfig.builder().protocol(Protocol.UDP).destHost("h").build())
			.withMessage("Invalid value (none) for setting 'dest_port': a port between 1 and 65535");
	}

	@Test
	void httpAndWsRequireASecret() {
		for (Protocol protocol : List.of(Protocol.HTTP, Protocol.WS)) {
			assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> udp().protocol(protocol).build())
				.withMessage("Invalid value (none) for setting 'secret': a secret is required for protocol "
						+ protocol.name().toLowerCase());
		}
	}

	@Test
	void udpAndTcpIgnoreASecretTheyNeverSend() {
		assertThat(udp().secret("s3cret").build().secret()).isNull();
		assertThat(udp().protocol(Protocol.TCP).secret("s3cret").build().secret()).isNull();
		assertThat(udp().protocol(Protocol.WS).secret("s3cret").build().secret()).isEqualTo("s3cret");
	}

	@Test
	void toStringNeverShowsTheSecret() {
		StatsClientConfig config = udp().protocol(Protocol.HTTP).secret("t0p-s3cret").build();
		assertThat(config.toString()).contains("secret=****").doesNotContain("t0p-s3cret");
	}

	@Test
	void theBuilderStaysUsableAndAConfigIsNotChangedByIt() {
		StatsClientConfig.Builder builder = udp().set(StatsClientConfig.MAX_NAMES, 5);
		StatsClientConfig first = builder.build();
		builder.set(StatsClientConfig.MAX_NAMES, 6);
		assertThat(first.get(StatsClientConfig.MAX_NAMES)).isEqualTo(5);
		assertThat(builder.build().get(StatsClientConfig.MAX_NAMES)).isEqualTo(6);
		assertThat(first.toBuilder().build().get(StatsClientConfig.MAX_NAMES)).isEqualTo(5);
	}

	@Test
	void retryPolicySetsTheFourRetrySettings() {
		RetryPolicy policy = new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(50), 3.0, 0.0);
		StatsClientConfig config = udp().retryPolicy(policy).build();
		assertThat(config.retryPolicy()).isEqualTo(policy);
		assertThat(config.get(StatsClientConfig.RETRY_MULTIPLIER)).isEqualTo(3.0);
	}

	@Test
	void httpsAndWssBothMeanSecureForEitherProtocol() {
		StatsClientConfig.Builder ws = udp().protocol(Protocol.WS).secret("s").destPort(8080);
		assertThat(Transports.destination(ws.set(StatsClientConfig.HTTP_SCHEME, "https").build()))
			.isEqualTo("wss://127.0.0.1:8080/ws");
		assertThat(Transports.destination(ws.set(StatsClientConfig.HTTP_SCHEME, "wss").build()))
			.isEqualTo("wss://127.0.0.1:8080/ws");
		StatsClientConfig.Builder http = udp().protocol(Protocol.HTTP).secret("s").destPort(443);
		assertThat(Transports.destination(http.build())).isEqualTo("https://127.0.0.1:443/http");
		assertThat(Transports.destination(http.set(StatsClientConfig.HTTP_SCHEME, "ws").build()))
			.isEqualTo("http://127.0.0.1:443/http");
		assertThat(Transports.destination(http.set(StatsClientConfig.HTTP_SCHEME, "wss").destPort(8443).build()))
			.isEqualTo("https://127.0.0.1:8443/http");
	}

}
