package io.heare.stats.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of how {@link TcpTransport} handles its connection when the collector resets it,
 * cannot be reached, never completes a connection, or is found again many times: nothing
 * thrown, nothing leaked.
 */
@Timeout(30)
class TcpTransportConnectionTests {

	private static final Path OPEN_FILES = Path.of("/proc/self/fd");

	private static TcpTransport tcp(String host, int port) {
		return new TcpTransport(host, port, Duration.ofSeconds(2), Duration.ofSeconds(2), StatsdFlavor.HEARE, null);
	}

	private static Batch counter(String name, int value) {
		Batch batch = new Batch();
		batch.addCounter(name, value);
		return batch;
	}

	private static long openFiles() throws IOException {
		try (Stream<Path> files = Files.list(OPEN_FILES)) {
			return files.count();
		}
	}

	@Test
	void aBatchSentAfterTheCollectorResetTheConnectionGoesToTheNextConnection() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				TcpTransport transport = tcp("127.0.0.1", server.getLocalPort())) {
			server.setSoTimeout(5_000);
			assertThat(transport.send(counter("first", 1))).isEqualTo(SendResult.success(1, "first:1|c\n".length()));
			try (Socket connection = server.accept()) {
				connection.setSoTimeout(5_000);
				assertThat(new String(connection.getInputStream().readNBytes("first:1|c\n".length()),
						StandardCharsets.US_ASCII))
					.isEqualTo("first:1|c\n");
				// A collector that crashes resets the connection; on loopback the reset
				// has reached the client when close returns.
				connection.setSoLinger(true, 0);
			}
			assertThat(transport.send(counter("second", 2))).isEqualTo(SendResult.success(1, "second:2|c\n".length()));
			try (Socket connection = server.accept()) {
				connection.setSoTimeout(5_000);
				assertThat(new String(connection.getInputStream().readNBytes("second:2|c\n".length()),
						StandardCharsets.US_ASCII))
					.isEqualTo("second:2|c\n");
			}
		}
	}

	@Test
	void aConnectionTheCollectorNeverCompletesTimesOutWithoutLeakingASocket() throws Exception {
		Assumptions.assumeTrue(Files.isDirectory(OPEN_FILES), "lists the open file descriptors");
		List<Socket> queued = new ArrayList<>();
		// A collector too busy to accept: once its accept queue is full, the kernel
		// leaves further connections unanswered.
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			boolean full = false;
			while (!full && queued.size() < 10) {
				Socket socket = new Socket();
				queued.add(socket);
				try {
					socket.connect(server.getLocalSocketAddress(), 100);
				}
				catch (SocketTimeoutException ex) {
					full = true;
				}
				catch (ConnectException ex) {
					Assumptions.abort("this kernel refuses connections over the accept queue instead");
				}
			}
			Assumptions.assumeTrue(full, "the accept queue filled up");
			try (TcpTransport transport = new TcpTransport("127.0.0.1", server.getLocalPort(), Duration.ofMillis(200),
					Duration.ofSeconds(2), StatsdFlavor.HEARE, null)) {
				long before = openFiles();
				for (int i = 0; i < 6; i++) {
					long start = System.nanoTime();
					SendResult result = transport.send(counter("waiting", 1));
					assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the connect timeout")
						.isGreaterThanOrEqualTo(Duration.ofMillis(200));
					assertThat(result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
					assertThat(result.cause())
						.isEqualTo("timed out sending to tcp://127.0.0.1:" + server.getLocalPort());
				}
				assertThat(openFiles() - before).isLessThan(4);
			}
		}
		finally {
			for (Socket socket : queued) {
				socket.close();
			}
		}
	}

	@Test
	void aHostThatDoesNotResolveIsRetriedWithoutAnException() {
		// Not a valid IPv6 literal, so it fails to resolve without asking a name server.
		try (TcpTransport transport = tcp("::zz", 8125)) {
			SendResult result = transport.send(counter("lost", 1));
			assertThat(result.outcome()).isEqualTo(SendResult.Outcome.RETRY);
			assertThat(result.cause()).isEqualTo("IOException sending to tcp://::zz:8125: cannot resolve host");
		}
	}

	@Test
	void neitherRefusedConnectionsNorClosedOnesLeakSocketsOrSelectors() throws Exception {
		Assumptions.assumeTrue(Files.isDirectory(OPEN_FILES), "lists the open file descriptors");
		int refusedPort;
		try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			refusedPort = probe.getLocalPort();
		}
		// The backlog holds every connection: nothing is accepted in this process.
		try (ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
				TcpTransport down = tcp("127.0.0.1", refusedPort);
				TcpTransport up = tcp("127.0.0.1", server.getLocalPort())) {
			long before = openFiles();
			for (int i = 0; i < 30; i++) {
				// Each retry while the collector is down opens a socket and a selector.
				assertThat(down.send(counter("down", 1)).outcome()).isEqualTo(SendResult.Outcome.RETRY);
				assertThat(up.send(counter("up", 1)).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
				up.close();
			}
			assertThat(openFiles() - before).isLessThan(15);
		}
	}

}
