package io.heare.stats.client;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StatsClient#create(StatsClientConfig)} with what
 * {@link StatsClientSettings} loads. No client touches the network before something is
 * recorded, so nothing needs to listen.
 */
class StatsClientCreateTests {

	@ParameterizedTest
	@CsvSource({ "http, HttpClient, http://127.0.0.1:8080/http", "udp, UdpClient, udp://127.0.0.1:8080",
			"tcp, TcpClient, tcp://127.0.0.1:8080", "ws, WsClient, ws://127.0.0.1:8080/ws",
			"UDP, UdpClient, udp://127.0.0.1:8080" })
	void createsTheClientForEachProtocol(String protocol, String type, String endpoint) {
		StatsClientConfig settings = StatsClientSettings.loader()
			.environment(Map.of("PROTOCOL", protocol, "DEST_HOST", "127.0.0.1", "DEST_PORT", "8080", "SECRET", "s3cret",
					"PREFIX", "myapp"))
			.load();
		StatsClient client = StatsClient.create(settings);
		try {
			assertThat(client.getClass().getSimpleName()).isEqualTo(type);
			assertThat(client).hasToString(type + "[" + endpoint + ", prefix=myapp]");
			assertThat(client.toString()).doesNotContain("s3cret");
		}
		finally {
			client.close();
		}
	}

	@ParameterizedTest
	@CsvSource({ "udp, UdpClient", "tcp, TcpClient" })
	void statsdProtocolsNeedNoSecret(String protocol, String type) {
		StatsClientConfig settings = StatsClientSettings.loader()
			.environment(Map.of("PROTOCOL", protocol, "DEST_HOST", "127.0.0.1", "DEST_PORT", "8125"))
			.load();
		StatsClient client = StatsClient.create(settings);
		try {
			assertThat(client.getClass().getSimpleName()).isEqualTo(type);
		}
		finally {
			client.close();
		}
	}

}
