package io.heare.stats.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of what {@link WsTransport} makes of a handshake the service refuses: a wrong
 * secret or a refused upgrade is not retried, an overloaded or failing service is.
 */
@Timeout(30)
class WsTransportTests {

	@StartStop
	final MockWebServer server = new MockWebServer();

	private Transport transport;

	@AfterEach
	void closeTransport() {
		if (this.transport != null) {
			this.transport.close();
		}
	}

	private Transport transport(int port) {
		this.transport = new WsTransport(HttpTransport.endpoint("ws", "127.0.0.1", port, "/ws"), "s3cret",
				Duration.ofSeconds(2), Duration.ofSeconds(2), 9, null);
		return this.transport;
	}

	private static Batch counter() {
		Batch batch = new Batch();
		batch.addCounter("requests", 1);
		return batch;
	}

	@ParameterizedTest
	@CsvSource({ "401, REJECTED, the secret was rejected; check the configured secret",
			"403, REJECTED, the secret was rejected; check the configured secret",
			"404, REJECTED, the service refused the WebSocket upgrade",
			"499, REJECTED, the service refused the WebSocket upgrade", "429, RETRY, ", "500, RETRY, ",
			"503, RETRY, " })
	void aRefusedHandshakeIsRetriedOnlyWhenTheServiceMayTakeItLater(int status, SendResult.Outcome outcome,
			String reason) throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(status).build());
		SendResult result = transport(this.server.getPort()).send(counter());
		assertThat(result.outcome()).isEqualTo(outcome);
		String expected = "WebSocket handshake with ws://127.0.0.1:" + this.server.getPort() + "/ws answered HTTP "
				+ status;
		assertThat(result.cause()).isEqualTo((reason != null) ? expected + ": " + reason : expected);
		assertThat(this.transport.maxBatchEntries()).isEqualTo(9);
	}

	@Test
	void aServiceThatIsNotListeningIsRetried() throws Exception {
		int port;
		try (ServerSocket closed = new ServerSocket()) {
			closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			port = closed.getLocalPort();
		}
		SendResult result = transport(port).send(counter());
		assertThat(result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
		assertThat(result.cause()).contains("connecting to ws://127.0.0.1:" + port + "/ws");
		assertThat(this.transport).hasToString("WsTransport[ws://127.0.0.1:" + port + "/ws]");
	}

}
