package io.heare.stats.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.heare.stats.client.InvalidSettingException;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HeareStatsPropertiesClientFactory}.
 */
class HeareStatsPropertiesClientFactoryTests {

	private static HeareStatsProperties properties(Protocol protocol, int port) {
		HeareStatsProperties properties = new HeareStatsProperties();
		properties.setProtocol(protocol);
		properties.setDestHost("metrics.example.com");
		properties.setDestPort(port);
		properties.setSecret("s3cret");
		return properties;
	}

	private static StatsClient create(HeareStatsProperties properties) {
		return new HeareStatsPropertiesClientFactory(properties, List.of(), null).createClient();
	}

	@Test
	void webSocketTakesTheSharedHttpSchemeInItsOwnTerms() {
		HeareStatsProperties properties = properties(Protocol.WS, 8443);
		properties.getHttp().setScheme("https");
		StatsClient client = create(properties);
		try {
			assertThat(client.toString()).contains("wss://metrics.example.com:8443/ws");
		}
		finally {
			client.close();
		}
	}

	@Test
	void webSocketUsesWssExactlyOnPort443ByDefault() {
		StatsClient secure = create(properties(Protocol.WS, 443));
		StatsClient plain = create(properties(Protocol.WS, 8080));
		try {
			assertThat(secure.toString()).contains("wss://metrics.example.com:443/ws");
			assertThat(plain.toString()).contains("ws://metrics.example.com:8080/ws");
		}
		finally {
			secure.close();
			plain.close();
		}
	}

	@Test
	void invalidCoreSettingIsReportedUnderItsPropertyName() {
		HeareStatsProperties properties = properties(Protocol.TCP, 8125);
		properties.getStatsd().setConnectTimeout(java.time.Duration.ZERO);
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> create(properties))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("heare.stats.statsd.connect-timeout"));
	}

}
