package io.heare.stats.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of how StatsD lines are framed on the wire: packed into UDP datagrams up to their
 * size limit, and written newline-terminated onto one TCP connection, as a real receiver
 * reads them.
 */
@Timeout(30)
class StatsdFramingTests {

	@Test
	void linesThatFillADatagramExactlyTravelTogetherAndOneByteMoreStartsTheNext() throws Exception {
		Batch batch = new Batch();
		batch.addCounter("aaaa", 1);
		batch.addCounter("bbbb", 2, 5);
		// "aaaa:1|c" and "bbbb:2|c" joined by one newline: 17 bytes.
		try (DatagramSocket receiver = bind()) {
			try (UdpTransport transport = udp(receiver, 17)) {
				SendResult result = transport.send(batch);
				assertThat(result).isEqualTo(SendResult.success(1, 17));
				assertThat(receive(receiver)).isEqualTo("aaaa:1|c\nbbbb:2|c");
			}
			try (UdpTransport transport = udp(receiver, 16)) {
				SendResult result = transport.send(batch);
				assertThat(result).isEqualTo(SendResult.success(2, 16));
				assertThat(receive(receiver)).isEqualTo("aaaa:1|c");
				assertThat(receive(receiver)).isEqualTo("bbbb:2|c");
			}
		}
	}

	@Test
	void aLineOfExactlyTheDatagramLimitIsSentWholeAndSoIsALongerOneAlone() throws Exception {
		Batch batch = new Batch();
		batch.addCounter("a", 1);
		// "exactly.twenty20:1|c" is 20 bytes.
		batch.addCounter("exactly.twenty20", 1);
		batch.addCounter("over.the.limit.of.twenty", 1);
		batch.addCounter("b", 1);
		try (DatagramSocket receiver = bind(); UdpTransport transport = udp(receiver, 20)) {
			SendResult result = transport.send(batch);
			List<String> datagrams = List.of(receive(receiver), receive(receiver), receive(receiver),
					receive(receiver));
			assertThat(datagrams).containsExactly("a:1|c", "exactly.twenty20:1|c", "over.the.limit.of.twenty:1|c",
					"b:1|c");
			assertThat(result.outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
			assertThat(result.requests()).isEqualTo(4);
			assertThat(result.bytes()).isEqualTo(datagrams.stream().mapToInt(String::length).sum());
		}
	}

	@Test
	void closeReleasesTheDatagramSocket() throws Exception {
		Batch batch = new Batch();
		batch.addCounter("a", 1);
		try (DatagramSocket receiver = bind()) {
			UdpTransport transport = udp(receiver, 1432);
			assertThat(transport.toString()).isEqualTo("UdpTransport[udp://127.0.0.1:" + receiver.getLocalPort() + "]");
			assertThat(transport.send(batch).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
			DatagramPacket packet = new DatagramPacket(new byte[64], 64);
			receiver.receive(packet);
			transport.close();
			// The port the datagram came from is free again once the transport is closed.
			try (DatagramSocket reused = new DatagramSocket(packet.getPort())) {
				assertThat(reused.getLocalPort()).isEqualTo(packet.getPort());
			}
		}
	}

	@Test
	void theUpdatesOfALineOverTheLimitThatCannotBeSentAreCountedAsLost() throws Exception {
		int closedPort;
		try (DatagramSocket socket = bind()) {
			closedPort = socket.getLocalPort();
		}
		Batch batch = new Batch();
		for (int i = 0; i < 40; i++) {
			batch.addCounter("a.line.longer.than.the.limit." + i, 1, 3);
		}
		try (UdpTransport transport = new UdpTransport("127.0.0.1", closedPort, 10, Duration.ofHours(1),
				StatsdFlavor.HEARE, null, 0)) {
			// Linux reports the unreachable port on a later send, whose datagram is then
			// not sent.
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				SendResult result = transport.send(batch);
				assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
				assertThat(result.lostUpdates()).isPositive().isLessThan(batch.updates());
				assertThat(result.lostUpdates() % 3).isZero();
				assertThat(result.requests()).isEqualTo(40 - result.lostUpdates() / 3);
			});
		}
	}

	@Test
	void aLargeBatchArrivesOverTcpAsWholeNewlineTerminatedLines() throws Exception {
		Batch batch = new Batch();
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 2_000; i++) {
			batch.addCounter("tcp.counter.with.a.longer.name." + i, i);
			expected.add("tcp.counter.with.a.longer.name." + i + ":" + i + "|c");
		}
		double[] values = new double[500];
		for (int i = 0; i < values.length; i++) {
			values[i] = i + 0.5;
			expected.add("tcp.timer:" + (i + 0.5) + "|ms");
		}
		batch.addTimer("tcp.timer", 1, values, values.length, 10_000);
		try (ServerSocket server = listen()) {
			CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> readUntilEnd(server));
			SendResult result;
			try (TcpTransport transport = tcp(server.getLocalPort(), Duration.ofSeconds(5))) {
				result = transport.send(batch);
			}
			String text = received.get(10, TimeUnit.SECONDS);
			assertThat(text).endsWith("\n");
			assertThat(text.split("\n", -1)).hasSize(expected.size() + 1);
			assertThat(List.of(text.split("\n"))).containsExactlyElementsOf(expected);
			assertThat(result).isEqualTo(SendResult.success(1, text.length()));
		}
	}

	@Test
	void aTcpWriteThatTheCollectorDoesNotReadFailsAfterTheWriteTimeoutAndTheNextSendReconnects() throws Exception {
		Batch stalled = new Batch();
		double[] values = new double[400_000];
		for (int i = 0; i < values.length; i++) {
			values[i] = 1_000_000.125 + i;
		}
		// Several megabytes: more than the socket buffers of both sides hold.
		stalled.addTimer("stalled.timer.with.a.long.name", 1, values, values.length, values.length);
		Batch next = new Batch();
		next.addCounter("after.the.stall", 1);
		try (ServerSocket server = listen()) {
			CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> accept(server));
			try (TcpTransport transport = tcp(server.getLocalPort(), Duration.ofSeconds(1))) {
				long start = System.nanoTime();
				SendResult result = transport.send(stalled);
				long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				assertThat(result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
				assertThat(result.cause()).contains("timed out");
				assertThat(millis).isBetween(950L, 10_000L);
				// The stalled connection is given up: the next batch goes out on a new
				// one.
				CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> readUntilEnd(server));
				assertThat(transport.send(next).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
				transport.close();
				assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("after.the.stall:1|c\n");
			}
			finally {
				accepted.get(10, TimeUnit.SECONDS).close();
			}
		}
	}

	@Test
	void batchesSentWhileTheConnectionLastsShareIt() throws Exception {
		try (ServerSocket server = listen()) {
			CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> readUntilEnd(server));
			try (TcpTransport transport = tcp(server.getLocalPort(), Duration.ofSeconds(5))) {
				for (int i = 0; i < 3; i++) {
					Batch batch = new Batch();
					batch.addCounter("shared." + i, i);
					assertThat(transport.send(batch).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
				}
			}
			// One connection carried all three; a second one would find nobody accepting
			// it.
			assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("shared.0:0|c\nshared.1:1|c\nshared.2:2|c\n");
		}
	}

	@Test
	void aBatchSentAfterTheCollectorClosedTheConnectionGoesToTheNextConnection() throws Exception {
		Batch first = new Batch();
		first.addCounter("first", 1);
		Batch second = new Batch();
		second.addCounter("second", 2);
		try (ServerSocket server = listen();
				TcpTransport transport = tcp(server.getLocalPort(), Duration.ofSeconds(5))) {
			assertThat(transport.toString()).isEqualTo("TcpTransport[tcp://127.0.0.1:" + server.getLocalPort() + "]");
			// The connection is opened by the first send (the kernel completes it before
			// accept).
			assertThat(transport.send(first).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
			try (Socket connection = server.accept()) {
				connection.setSoTimeout(5_000);
				byte[] line = new byte["first:1|c\n".length()];
				connection.getInputStream().readNBytes(line, 0, line.length);
				assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo("first:1|c\n");
			}
			// The collector closed its end, as one that restarts does. Its close reaches
			// the client within moments on loopback.
			Thread.sleep(200);
			CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> readUntilEnd(server));
			assertThat(transport.send(second).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
			transport.close();
			assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("second:2|c\n");
		}
	}

	@Test
	void aTcpCollectorThatIsNotListeningIsRetried() throws Exception {
		int closedPort;
		try (ServerSocket server = listen()) {
			closedPort = server.getLocalPort();
		}
		try (TcpTransport transport = tcp(closedPort, Duration.ofSeconds(1))) {
			Batch batch = new Batch();
			batch.addCounter("refused", 1);
			SendResult result = transport.send(batch);
			assertThat(result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
			assertThat(result.cause()).contains("tcp://127.0.0.1:" + closedPort);
		}
	}

	private static UdpTransport udp(DatagramSocket receiver, int maxPacketSize) {
		return new UdpTransport("127.0.0.1", receiver.getLocalPort(), maxPacketSize, Duration.ofHours(1),
				StatsdFlavor.HEARE, null, 0);
	}

	private static TcpTransport tcp(int port, Duration writeTimeout) {
		return new TcpTransport("127.0.0.1", port, Duration.ofSeconds(2), writeTimeout, StatsdFlavor.HEARE, null);
	}

	private static DatagramSocket bind() throws IOException {
		DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		socket.setSoTimeout(5_000);
		return socket;
	}

	private static String receive(DatagramSocket socket) throws IOException {
		DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
		try {
			socket.receive(packet);
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("no datagram within 5 seconds", ex);
		}
		return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
	}

	private static ServerSocket listen() throws IOException {
		ServerSocket server = new ServerSocket();
		// Small, so that a collector that does not read makes the client's writes wait
		// soon.
		server.setReceiveBufferSize(4096);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		server.setSoTimeout(10_000);
		return server;
	}

	private static Socket accept(ServerSocket server) {
		try {
			// Read nothing, as a collector that hangs: the client's writes fill the
			// buffers.
			return server.accept();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String readUntilEnd(ServerSocket server) {
		try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
			// Ends as soon as the client closes; a connection left open fails the read
			// instead.
			socket.setSoTimeout(3_000);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			in.transferTo(out);
			return out.toString(StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
