package io.heare.stats.client;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of how {@link WsTransport} keeps, replaces and releases its connection: one
 * connection for every batch while it is healthy, a new one after the service closed it
 * or a send failed or timed out, and a close that the service sees.
 */
@Timeout(30)
class WsTransportConnectionTests {

	private static final String FIRST = "{\"counters\":{\"first\":1}}";

	private static final String SECOND = "{\"counters\":{\"second\":1}}";

	@StartStop
	final MockWebServer server = new MockWebServer();

	private WsTransport transport;

	@AfterEach
	void closeTransport() {
		if (this.transport != null) {
			this.transport.close();
		}
		Thread.interrupted();
	}

	private WsTransport transport(int port, Duration connectTimeout, Duration sendTimeout) {
		this.transport = new WsTransport(HttpTransport.endpoint("ws", "127.0.0.1", port, "/ws"), "s3cret",
				connectTimeout, sendTimeout, 100, null);
		return this.transport;
	}

	private WsTransport transport() {
		return transport(this.server.getPort(), Duration.ofSeconds(2), Duration.ofSeconds(2));
	}

	private static Batch counter(String name) {
		Batch batch = new Batch();
		batch.addCounter(name, 1);
		return batch;
	}

	// A frame of about 10 MB: more than the kernel buffers between the two ends hold, so
	// it cannot be written while the service does not read.
	private static Batch largerThanTheSocketBuffers() {
		double[] values = new double[1_250_000];
		for (int i = 0; i < values.length; i++) {
			values[i] = 1_000_000 + i;
		}
		Batch batch = new Batch();
		batch.addTimer("large", 1.0, values, values.length, values.length);
		return batch;
	}

	@Test
	void sendsEveryBatchOnTheConnectionItOpenedFirst() throws Exception {
		ServiceSide side = new ServiceSide();
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(side).build());
		WsTransport transport = transport();
		assertThat(transport.send(counter("first"))).isEqualTo(SendResult.success(1, FIRST.length()));
		assertThat(transport.send(counter("second"))).isEqualTo(SendResult.success(1, SECOND.length()));
		assertThat(side.messages.poll(5, TimeUnit.SECONDS)).isEqualTo(FIRST);
		assertThat(side.messages.poll(5, TimeUnit.SECONDS)).isEqualTo(SECOND);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void runsTheJdkClientsWorkOnTheConfiguredExecutor() throws Exception {
		ServiceSide side = new ServiceSide();
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(side).build());
		AtomicInteger tasks = new AtomicInteger();
		ExecutorService pool = Executors.newCachedThreadPool();
		try {
			this.transport = new WsTransport(HttpTransport.endpoint("ws", "127.0.0.1", this.server.getPort(), "/ws"),
					"s3cret", Duration.ofSeconds(2), Duration.ofSeconds(2), 100, (task) -> {
						tasks.incrementAndGet();
						pool.execute(task);
					});
			assertThat(this.transport.send(counter("first")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
			assertThat(side.messages.poll(5, TimeUnit.SECONDS)).isEqualTo(FIRST);
			assertThat(tasks).hasPositiveValue();
		}
		finally {
			this.transport.close();
			pool.shutdownNow();
		}
	}

	@Test
	void aConnectionTheServiceClosedIsReplacedOnTheNextSend() throws Exception {
		ServiceSide first = new ServiceSide();
		first.closeAfterFirstMessage = true;
		ServiceSide second = new ServiceSide();
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(first).build());
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(second).build());
		WsTransport transport = transport();
		assertThat(transport.send(counter("first")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
		assertThat(first.ended.await(5, TimeUnit.SECONDS)).as("the service closed the first connection").isTrue();
		// The client answered the service's close, so it knows the connection is gone:
		// the next batch neither fails nor disappears into the closed connection.
		assertThat(transport.send(counter("second")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
		assertThat(second.messages.poll(5, TimeUnit.SECONDS)).isEqualTo(SECOND);
		assertThat(first.messages).containsExactly(FIRST);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void closeEndsTheConnectionWithANormalClosureTheServiceSees() throws Exception {
		ServiceSide side = new ServiceSide();
		this.server.enqueue(new MockResponse.Builder().webSocketUpgrade(side).build());
		WsTransport transport = transport();
		assertThat(transport.send(counter("first")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
		transport.close();
		assertThat(side.ended.await(5, TimeUnit.SECONDS)).as("the connection ended").isTrue();
		assertThat(side.closeCodes).containsExactly(1000);
		assertThat(side.failures).hasValue(0);
	}

	@Test
	void closeReleasesTheConnectionWhenTheServiceNeverAnswersTheClose() throws Exception {
		try (RawWebSocketServer service = new RawWebSocketServer()) {
			NoAnswerToClose side = new NoAnswerToClose();
			service.then(side);
			WsTransport transport = transport(service.port(), Duration.ofSeconds(2), Duration.ofSeconds(2));
			assertThat(transport.send(counter("first")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
			transport.close();
			side.ended.get(5, TimeUnit.SECONDS);
			assertThat(side.messages).containsExactly(FIRST);
			assertThat(side.closeCodes).containsExactly(1000);
		}
	}

	@Test
	void closeOnAnInterruptedThreadReleasesTheConnectionAndKeepsTheInterrupt() throws Exception {
		try (RawWebSocketServer service = new RawWebSocketServer()) {
			NoAnswerToClose side = new NoAnswerToClose();
			service.then(side);
			WsTransport transport = transport(service.port(), Duration.ofSeconds(2), Duration.ofSeconds(2));
			assertThat(transport.send(counter("first")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
			Thread.currentThread().interrupt();
			transport.close();
			assertThat(Thread.interrupted()).as("still interrupted").isTrue();
			side.ended.get(5, TimeUnit.SECONDS);
			assertThat(side.messages).containsExactly(FIRST);
		}
	}

	@Test
	void aFrameTheServiceDoesNotReadTimesOutAndTheNextBatchGoesOnANewConnection() throws Exception {
		CountDownLatch timedOut = new CountDownLatch(1);
		CompletableFuture<Void> firstEnded = new CompletableFuture<>();
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		try (RawWebSocketServer service = new RawWebSocketServer()) {
			service.then((socket, in) -> {
				// Reads nothing until the client has given up on its frame, then waits
				// for the client to end the connection, whether by a close or a reset.
				try {
					timedOut.await();
					RawWebSocketServer.drain(in);
				}
				catch (SocketException ex) {
					// A reset ends it too.
				}
				finally {
					firstEnded.complete(null);
				}
			}).then((socket, in) -> {
				received.add(RawWebSocketServer.readMessage(in).text());
				RawWebSocketServer.drain(in);
			});
			WsTransport transport = transport(service.port(), Duration.ofSeconds(2), Duration.ofMillis(300));
			SendResult result = transport.send(largerThanTheSocketBuffers());
			timedOut.countDown();
			assertThat(result.outcome()).as(result.cause()).isEqualTo(SendResult.Outcome.RETRY);
			assertThat(result.cause())
				.isEqualTo("sending to ws://127.0.0.1:" + service.port() + "/ws timed out after 300 ms");
			firstEnded.get(5, TimeUnit.SECONDS);
			assertThat(transport.send(counter("second"))).isEqualTo(SendResult.success(1, SECOND.length()));
			assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(SECOND);
			assertThat(service.connections()).isEqualTo(2);
		}
	}

	@Test
	void aConnectionResetDuringASendIsRetriedAndTheNextBatchGoesOnANewConnection() throws Exception {
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		try (RawWebSocketServer service = new RawWebSocketServer()) {
			service.then((socket, in) -> {
				// The frame has begun to arrive; the service dies in the middle of it.
				in.readFully(new byte[64 * 1024]);
				socket.setSoLinger(true, 0);
				socket.close();
			}).then((socket, in) -> {
				received.add(RawWebSocketServer.readMessage(in).text());
				RawWebSocketServer.drain(in);
			});
			WsTransport transport = transport(service.port(), Duration.ofSeconds(2), Duration.ofSeconds(10));
			SendResult result = transport.send(largerThanTheSocketBuffers());
			assertThat(result.outcome()).as(result.cause()).isEqualTo(SendResult.Outcome.RETRY);
			assertThat(result.cause()).contains(" sending to ws://127.0.0.1:" + service.port() + "/ws")
				.doesNotContain("timed out");
			assertThat(transport.send(counter("second"))).isEqualTo(SendResult.success(1, SECOND.length()));
			assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(SECOND);
			assertThat(service.connections()).isEqualTo(2);
		}
	}

	@Test
	void aHandshakeTheServiceNeverAnswersIsRetriedOnceTheConnectTimeoutHasPassed() throws Exception {
		// The kernel accepts the connection; nobody reads the upgrade request.
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			WsTransport transport = transport(silent.getLocalPort(), Duration.ofMillis(400), Duration.ofSeconds(2));
			long start = System.nanoTime();
			SendResult result = transport.send(counter("first"));
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			assertThat(result.outcome()).as(result.cause()).isEqualTo(SendResult.Outcome.RETRY);
			assertThat(result.cause())
				.isEqualTo("timed out connecting to ws://127.0.0.1:" + silent.getLocalPort() + "/ws");
			assertThat(waited).as("waited for the connect timeout").isGreaterThanOrEqualTo(Duration.ofMillis(400));
		}
	}

	/**
	 * A service that reads text frames and, once the client's close arrives, never
	 * answers it: the connection ends only when the client drops it.
	 */
	private static final class NoAnswerToClose implements RawWebSocketServer.Handler {

		final List<String> messages = new CopyOnWriteArrayList<>();

		final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

		final CompletableFuture<Void> ended = new CompletableFuture<>();

		@Override
		public void handle(Socket socket, DataInputStream in) throws IOException {
			try {
				RawWebSocketServer.Message message = RawWebSocketServer.readMessage(in);
				while (message.opcode() != 8) {
					this.messages.add(message.text());
					message = RawWebSocketServer.readMessage(in);
				}
				this.closeCodes.add(((message.payload()[0] & 0xff) << 8) | (message.payload()[1] & 0xff));
				RawWebSocketServer.drain(in);
			}
			catch (EOFException | SocketException ex) {
				// The client ended the connection without a close frame: a close on an
				// interrupted thread gives up its courtesy frame when the frame is not
				// written at once.
			}
			finally {
				this.ended.complete(null);
			}
		}

	}

	/** The service's end of one connection: records what arrives and how it ends. */
	private static final class ServiceSide extends WebSocketListener {

		final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

		final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

		final AtomicInteger failures = new AtomicInteger();

		final CountDownLatch ended = new CountDownLatch(1);

		volatile boolean closeAfterFirstMessage;

		@Override
		public void onMessage(WebSocket webSocket, String text) {
			this.messages.add(text);
			if (this.closeAfterFirstMessage) {
				webSocket.close(1001, "restarting");
			}
		}

		@Override
		public void onClosing(WebSocket webSocket, int code, String reason) {
			this.closeCodes.add(code);
			// okhttp leaves the answer to the application; a service answers at once.
			webSocket.close(code, null);
		}

		@Override
		public void onClosed(WebSocket webSocket, int code, String reason) {
			this.ended.countDown();
		}

		@Override
		public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
			this.failures.incrementAndGet();
			this.ended.countDown();
		}

	}

}
