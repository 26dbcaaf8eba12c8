package io.heare.stats.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link UdpTransport}'s host refresh and send failures. The collector "moves"
 * from 127.0.0.1 to 127.0.0.2 (both loopback on Linux) on the same port, as it would when
 * a DNS name is repointed.
 */
@Timeout(30)
class UdpTransportTests {

	@Test
	void findsACollectorThatMovedOnceTheRefreshIntervalPassed() throws Exception {
		try (DatagramSocket first = bind("127.0.0.1", 0);
				DatagramSocket second = bind("127.0.0.2", first.getLocalPort())) {
			AtomicReference<String> address = new AtomicReference<>("127.0.0.1");
			AtomicInteger lookups = new AtomicInteger();
			UdpTransport transport = new UdpTransport("collector.test", first.getLocalPort(), 1432, Duration.ZERO,
					StatsdFlavor.HEARE, null, 0, (host) -> {
						lookups.incrementAndGet();
						return InetAddress.getByName(address.get());
					});
			try (transport) {
				assertThat(transport.send(counter("before")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
				assertThat(receive(first)).isEqualTo("before:1|c");
				address.set("127.0.0.2");
				assertThat(transport.send(counter("after")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
				assertThat(receive(second)).isEqualTo("after:1|c");
			}
			assertThat(lookups).hasValue(2);
		}
	}

	@Test
	void countsAsLostOnlyTheUpdatesOfDatagramsThatFailed() throws Exception {
		int closedPort;
		try (DatagramSocket socket = bind("127.0.0.1", 0)) {
			closedPort = socket.getLocalPort();
		}
		try (UdpTransport transport = new UdpTransport("127.0.0.1", closedPort, 20, Duration.ofHours(1),
				StatsdFlavor.HEARE, null, 0)) {
			Batch batch = new Batch();
			for (int i = 0; i < 40; i++) {
				batch.addCounter("c" + i, 1, 3);
			}
			// Linux reports an unreachable port on the send after the one that provoked
			// it, and that send's datagram is not sent: some datagrams of a batch fail,
			// others go out.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				SendResult result = transport.send(batch);
				assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
				assertThat(result.lostUpdates()).isPositive().isLessThan(batch.updates());
				assertThat(result.lostUpdates() % 3).as("whole lines of 3 updates each").isZero();
				assertThat(result.requests()).isPositive();
			});
		}
	}

	@Test
	void keepsTheResolvedAddressWithinTheRefreshInterval() throws Exception {
		try (DatagramSocket first = bind("127.0.0.1", 0)) {
			AtomicReference<String> address = new AtomicReference<>("127.0.0.1");
			try (UdpTransport transport = new UdpTransport("collector.test", first.getLocalPort(), 1432,
					Duration.ofHours(1), StatsdFlavor.HEARE, null, 0, (host) -> InetAddress.getByName(address.get()))) {
				transport.send(counter("one"));
				address.set("127.0.0.2");
				transport.send(counter("two"));
				assertThat(receive(first)).isEqualTo("one:1|c");
				assertThat(receive(first)).isEqualTo("two:1|c");
			}
		}
	}

	@Test
	void keepsTheLastAddressWhenTheNameStopsResolving() throws Exception {
		try (DatagramSocket first = bind("127.0.0.1", 0)) {
			AtomicReference<String> address = new AtomicReference<>("127.0.0.1");
			try (UdpTransport transport = new UdpTransport("collector.test", first.getLocalPort(), 1432, Duration.ZERO,
					StatsdFlavor.HEARE, null, 0, (host) -> {
						if (address.get() == null) {
							throw new java.net.UnknownHostException(host);
						}
						return InetAddress.getByName(address.get());
					})) {
				transport.send(counter("one"));
				address.set(null);
				assertThat(transport.send(counter("two")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
				assertThat(receive(first)).isEqualTo("one:1|c");
				assertThat(receive(first)).isEqualTo("two:1|c");
			}
		}
	}

	@Test
	void failsWithoutRetryWhenTheNameNeverResolved() {
		try (UdpTransport transport = new UdpTransport("collector.test", 8125, 1432, Duration.ZERO, StatsdFlavor.HEARE,
				null, 0, (host) -> {
					throw new java.net.UnknownHostException(host);
				})) {
			SendResult result = transport.send(counter("lost"));
			assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
			assertThat(result.cause()).isEqualTo("cannot resolve udp://collector.test:8125");
		}
	}

	@Test
	void aLineTooLargeForAnyDatagramIsLostAloneAndTheLinesAroundItArrive() throws Exception {
		try (DatagramSocket collector = bind("127.0.0.1", 0);
				UdpTransport transport = new UdpTransport("127.0.0.1", collector.getLocalPort(), 1432,
						Duration.ofHours(1), StatsdFlavor.HEARE, null, 0)) {
			Batch batch = new Batch();
			batch.addCounter("before", 1, 2);
			batch.addCounter("x".repeat(UdpTransport.MAX_DATAGRAM), 1, 3);
			batch.addCounter("after", 1, 4);
			SendResult result = transport.send(batch);
			assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
			assertThat(result.lostUpdates()).isEqualTo(3);
			assertThat(result.requests()).isEqualTo(2);
			assertThat(result.bytes()).isEqualTo("before:1|c".length() + "after:1|c".length());
			assertThat(result.cause())
				.isEqualTo("IOException sending to udp://127.0.0.1:" + collector.getLocalPort() + ": Message too long");
			assertThat(receive(collector)).isEqualTo("before:1|c");
			assertThat(receive(collector)).isEqualTo("after:1|c");
		}
	}

	@Test
	void aSendInterruptedOnTheSenderThreadLosesItsDatagramAndTheNextSendGoesOut() throws Exception {
		try (DatagramSocket collector = bind("127.0.0.1", 0);
				UdpTransport transport = new UdpTransport("127.0.0.1", collector.getLocalPort(), 1432,
						Duration.ofHours(1), StatsdFlavor.HEARE, null, 0)) {
			assertThat(transport.send(counter("one")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
			// An interrupt closes the datagram channel under the write.
			Thread.currentThread().interrupt();
			SendResult interrupted;
			try {
				interrupted = transport.send(counter("two"));
			}
			finally {
				Thread.interrupted();
			}
			assertThat(interrupted.outcome()).isEqualTo(SendResult.Outcome.FAILED);
			assertThat(interrupted.lostUpdates()).isEqualTo(1);
			assertThat(interrupted.cause())
				.isEqualTo("ClosedByInterruptException sending to udp://127.0.0.1:" + collector.getLocalPort());
			assertThat(transport.send(counter("three"))).isEqualTo(SendResult.success(1, "three:1|c".length()));
			assertThat(receive(collector)).isEqualTo("one:1|c");
			assertThat(receive(collector)).isEqualTo("three:1|c");
		}
	}

	@Test
	void anAddressTheSystemRefusesFailsEverySendWithoutLeakingASocket() throws Exception {
		Path openFiles = Path.of("/proc/self/fd");
		Assumptions.assumeTrue(Files.isDirectory(openFiles), "lists the open file descriptors");
		// A name repointed at the broadcast address: the kernel refuses to connect to it.
		try (UdpTransport transport = new UdpTransport("collector.test", 8125, 1432, Duration.ofHours(1),
				StatsdFlavor.HEARE, null, 0, (host) -> InetAddress.getByName("255.255.255.255"))) {
			long before = count(openFiles);
			for (int i = 0; i < 30; i++) {
				SendResult result = transport.send(counter("refused"));
				assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
				assertThat(result.lostUpdates()).isEqualTo(1);
			}
			assertThat(count(openFiles) - before).isLessThan(15);
		}
	}

	private static long count(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.count();
		}
	}

	@Test
	void triesTheNameAgainOnlyAfterTheIntervalWhenItStopsResolving() throws Exception {
		try (DatagramSocket first = bind("127.0.0.1", 0)) {
			AtomicReference<String> address = new AtomicReference<>("127.0.0.1");
			AtomicInteger lookups = new AtomicInteger();
			// Long enough that the send after the failed lookup falls within the new
			// interval on a busy machine.
			try (UdpTransport transport = new UdpTransport("collector.test", first.getLocalPort(), 1432,
					Duration.ofSeconds(3), StatsdFlavor.HEARE, null, 0, (host) -> {
						lookups.incrementAndGet();
						if (address.get() == null) {
							throw new java.net.UnknownHostException(host);
						}
						return InetAddress.getByName(address.get());
					})) {
				transport.send(counter("one"));
				address.set(null);
				// Once the interval has passed, a send looks the name up again; the
				// lookup fails and the batch goes to the last address.
				await().atMost(Duration.ofSeconds(10)).until(() -> {
					assertThat(transport.send(counter("two")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
					return lookups.get() == 2;
				});
				// The failed lookup starts a new interval: no lookup on every send.
				assertThat(transport.send(counter("three")).outcome()).isEqualTo(SendResult.Outcome.SUCCESS);
				assertThat(lookups).hasValue(2);
				assertThat(receive(first)).isEqualTo("one:1|c");
			}
		}
	}

	private static Batch counter(String name) {
		Batch batch = new Batch();
		batch.addCounter(name, 1);
		return batch;
	}

	private static DatagramSocket bind(String address, int port) throws IOException {
		DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port));
		socket.setSoTimeout(2000);
		return socket;
	}

	private static String receive(DatagramSocket socket) throws IOException {
		DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
		try {
			socket.receive(packet);
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
	}

}
