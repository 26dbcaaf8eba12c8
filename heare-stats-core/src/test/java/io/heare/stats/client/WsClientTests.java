package io.heare.stats.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tests for {@link WsClient} against MockWebServer answering the WebSocket upgrade. */
@Timeout(60)
class WsClientTests {

	private static final String SECRET = "s3cret";

	private static final RetryPolicy FAST_RETRY = new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(200), 2,
			0.2);

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private StatsClient client;

	@AfterEach
	void closeClient() {
		if (this.client != null) {
			this.client.close();
		}
	}

	@Test
	void sendsEachBatchAsOneJsonTextFrameOnAnAuthenticatedHandshake() throws Exception {
		ServerSide side = new ServerSide(false);
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(side).build());
		this.client = new WsClient(this.server.getHostName(), this.server.getPort(), SECRET, "myapp");
		try (Pipeline pipe = this.client.pipeline()) {
			pipe.incr("requests", 6);
			pipe.decr("queue", 3);
			pipe.gauge("memory", 85.5);
			pipe.time("db", 45.2);
			pipe.time("db", 12);
			pipe.hist("size", 2048);
		}
		assertThat(this.client.flush()).isTrue();
		RecordedRequest handshake = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(handshake).isNotNull();
		assertThat(handshake.getTarget()).isEqualTo("/ws");
		assertThat(handshake.getHeaders().get("Authorization"))
			.isEqualTo("Basic " + Base64.getEncoder().encodeToString((SECRET + ":").getBytes(StandardCharsets.UTF_8)));
		await().atMost(Duration.ofSeconds(5)).until(() -> !side.messages.isEmpty());
		assertThat(side.messages.get(0)).isIn(
				"{\"counters\":{\"myapp.requests\":6,\"myapp.queue\":-3},\"gauges\":{\"myapp.memory\":85.5},"
						+ "\"timers\":{\"myapp.db\":[45.2,12]},\"histograms\":{\"myapp.size\":[2048]}}",
				"{\"counters\":{\"myapp.queue\":-3,\"myapp.requests\":6},\"gauges\":{\"myapp.memory\":85.5},"
						+ "\"timers\":{\"myapp.db\":[45.2,12]},\"histograms\":{\"myapp.size\":[2048]}}");
		assertThat(this.client.telemetry().requests()).isEqualTo(1);
	}

	@Test
	void unsetMaxBatchSizeSendsFiveThousandEntriesInOneFrame() throws Exception {
		ServerSide side = new ServerSide(false);
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(side).build());
		this.client = new WsClient(this.server.getHostName(), this.server.getPort(), SECRET);
		try (Pipeline pipe = this.client.pipeline()) {
			for (int i = 0; i < 5_001; i++) {
				pipe.time("t", 1);
			}
		}
		assertThat(this.client.flush()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> side.messages.size() == 2);
		assertThat(side.messages.get(0)).startsWith("{\"timers\":{\"t\":[1").endsWith("1]}}");
		assertThat(side.messages.get(0).chars().filter((c) -> c == ',').count() + 1).isEqualTo(5_000);
		assertThat(side.messages.get(1)).isEqualTo("{\"timers\":{\"t\":[1]}}");
	}

	@Test
	void reconnectsAfterTheServerClosesTheSocket() throws Exception {
		ServerSide first = new ServerSide(true);
		ServerSide second = new ServerSide(false);
		sendOneCounterThenReconnectTo(first, second);
		assertThat(first.closed.await(5, TimeUnit.SECONDS)).as("the server closed the first connection").isTrue();
		this.client.incr("after", 2);
		await().atMost(Duration.ofSeconds(5)).until(this.client::flush);
		await().atMost(Duration.ofSeconds(5)).until(() -> !second.messages.isEmpty());
		assertThat(first.messages).containsExactly("{\"counters\":{\"before\":1}}");
		assertThat(second.messages).containsExactly("{\"counters\":{\"after\":2}}");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(this.client.telemetry().droppedTotal()).isZero();
	}

	@Test
	void reconnectsAfterTheConnectionIsCutWithoutAClose() throws Exception {
		ServerSide first = new ServerSide(false, true);
		ServerSide second = new ServerSide(false);
		sendOneCounterThenReconnectTo(first, second);
		assertThat(first.closed.await(5, TimeUnit.SECONDS)).as("the server cut the first connection").isTrue();
		// The client learns of the cut from the socket; the next batch goes on a new
		// connection.
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.client.incr("after");
			return this.client.flush() && !second.messages.isEmpty();
		});
		assertThat(first.messages).containsExactly("{\"counters\":{\"before\":1}}");
		assertThat(second.messages).isNotEmpty()
			.allMatch((message) -> message.matches("\\{\"counters\":\\{\"after\":\\d+}}"));
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void rejectedHandshakeDropsTheBatchInsteadOfRetryingForever() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(401).build());
		this.client = StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.WS)
			.destHost(this.server.getHostName())
			.destPort(this.server.getPort())
			.secret("wrong")
			.retryPolicy(FAST_RETRY)
			.build());
		this.client.incr("requests");
		assertThat(this.client.flush()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.telemetry().dropped(DropReason.REJECTED) == 1);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.client.telemetry().retries() == 0);
		Telemetry telemetry = this.client.telemetry();
		assertThat(telemetry.dropped(DropReason.REJECTED)).isEqualTo(1);
		assertThat(telemetry.retries()).isZero();
		assertThat(telemetry.lastErrorMessage()).contains("HTTP 401").contains("the secret was rejected");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void aRejectedHandshakeIsTriedAgainOnlyOnTheGrowingBackoff() throws Exception {
		this.server.setDispatcher(new mockwebserver3.Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(401).build();
			}
		});
		this.client = StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.WS)
			.destHost(this.server.getHostName())
			.destPort(this.server.getPort())
			.secret("wrong")
			.retryPolicy(new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(800), 2, 0))
			.build());
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
		while (System.nanoTime() - end < 0) {
			this.client.incr("steady");
			TimeUnit.MILLISECONDS.sleep(1);
		}
		// 100, 200, 400, 800, 800... ms apart, not one handshake per batch.
		assertThat(this.server.getRequestCount()).isBetween(3, 10);
		this.client.close();
		Telemetry telemetry = this.client.telemetry();
		assertThat(telemetry.dropped(DropReason.REJECTED)).isEqualTo(telemetry.recorded());
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void usesWssOnPort443UnlessTheSchemeIsSet() {
		assertThat(Transports.destination(StatsClientConfig.builder()
			.protocol(Protocol.WS)
			.destHost("metrics.example.com")
			.destPort(443)
			.secret(SECRET)
			.build())).hasToString("wss://metrics.example.com:443/ws");
		assertThat(Transports.destination(StatsClientConfig.builder()
			.protocol(Protocol.WS)
			.destHost("metrics.example.com")
			.destPort(8080)
			.secret(SECRET)
			.build())).hasToString("ws://metrics.example.com:8080/ws");
		assertThat(Transports.destination(StatsClientConfig.builder()
			.protocol(Protocol.WS)
			.destHost("metrics.example.com")
			.destPort(443)
			.set(StatsClientConfig.HTTP_SCHEME, "ws")
			.secret(SECRET)
			.build())).hasToString("ws://metrics.example.com:443/ws");
	}

	@Test
	void requiresASecret() {
		org.assertj.core.api.Assertions.assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new WsClient("localhost", 8080, null))
			.withMessageContaining("secret");
	}

	// The client's first batch goes to the first connection; the second connection waits
	// for the next.
	private void sendOneCounterThenReconnectTo(ServerSide first, ServerSide second) {
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(first).build());
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(second).build());
		this.client = StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.WS)
			.destHost(this.server.getHostName())
			.destPort(this.server.getPort())
			.secret(SECRET)
			.retryPolicy(FAST_RETRY)
			.build());
		this.client.incr("before");
		assertThat(this.client.flush()).isTrue();
	}

	/**
	 * The service's end of the socket: records text frames, and may close after the
	 * first.
	 */
	private static final class ServerSide extends WebSocketListener {

		final List<String> messages = new CopyOnWriteArrayList<>();

		final CountDownLatch closed = new CountDownLatch(1);

		private final boolean closeAfterFirstMessage;

		private final boolean cutAfterFirstMessage;

		ServerSide(boolean closeAfterFirstMessage) {
			this(closeAfterFirstMessage, false);
		}

		ServerSide(boolean closeAfterFirstMessage, boolean cutAfterFirstMessage) {
			this.closeAfterFirstMessage = closeAfterFirstMessage;
			this.cutAfterFirstMessage = cutAfterFirstMessage;
		}

		@Override
		public void onMessage(WebSocket webSocket, String text) {
			this.messages.add(text);
			if (this.closeAfterFirstMessage) {
				webSocket.close(1001, "restarting");
			}
			if (this.cutAfterFirstMessage) {
				// No close frame: the connection is torn down, as when the service
				// crashes.
				webSocket.cancel();
				this.closed.countDown();
			}
		}

		@Override
		public void onClosing(WebSocket webSocket, int code, String reason) {
			// okhttp leaves the reply to the application; a real service answers a close
			// at once.
			webSocket.close(code, null);
		}

		@Override
		public void onClosed(WebSocket webSocket, int code, String reason) {
			this.closed.countDown();
		}

		@Override
		public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
			this.closed.countDown();
		}

	}

}
