package io.heare.stats.client;

import java.io.IOException;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Tests for {@link UdpClient} against a real loopback UDP socket. */
@Timeout(30)
class UdpClientTests {

	private static final int QUIET_MILLIS = 300;

	private UdpReceiver receiver;

	private final List<StatsClient> clients = new ArrayList<>();

	@BeforeEach
	void startReceiver() throws IOException {
		this.receiver = new UdpReceiver();
	}

	@AfterEach
	void closeAll() {
		this.clients.forEach(StatsClient::close);
		this.receiver.close();
	}

	@Test
	void sendsExactLinesForEachKindAndNeverTheSecret() throws IOException {
		StatsClient client = track(StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.UDP)
			.destHost("127.0.0.1")
			.destPort(this.receiver.port())
			.secret("s3cret")
			.build()));
		client.incr("requests", 3);
		client.decr("queue");
		client.gauge("memory", 85.5);
		client.time("db.query", 45.2);
		client.time("db.query", 12);
		client.hist("payload", 2048);
		assertThat(client.flush()).isTrue();
		List<String> datagrams = this.receiver.datagrams(QUIET_MILLIS);
		assertThat(String.join("\n", datagrams)).doesNotContain("s3cret");
		assertThat(datagrams.stream().flatMap((d) -> List.of(d.split("\n")).stream())).containsExactlyInAnyOrder(
				"requests:3|c", "queue:-1|c", "memory:85.5|g", "db.query:45.2|ms", "db.query:12|ms", "payload:2048|h");
	}

	@Test
	void spacesDatagramsOutToTheConfiguredRateAndStillDeliversEveryValue() throws IOException {
		StatsClient client = track(StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.UDP)
			.destHost("127.0.0.1")
			.destPort(this.receiver.port())
			.set(StatsClientConfig.STATSD_MAX_PACKETS_PER_SECOND, 200)
			.set(StatsClientConfig.FLUSH_TIMEOUT, Duration.ofSeconds(10))
			// Only the flush sends: a send the linger starts while recording would leave
			// the flush only its tail to pace.
			.set(StatsClientConfig.LINGER, Duration.ofMinutes(1))
			.build()));
		for (int i = 0; i < 4_000; i++) {
			client.time("paced", i % 1_000);
		}
		long start = System.nanoTime();
		assertThat(client.flush()).isTrue();
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		List<String> datagrams = this.receiver.datagrams(QUIET_MILLIS);
		// About 40 datagrams at 200 a second, two of them back to back: not under 150 ms.
		assertThat(datagrams).hasSizeGreaterThan(30);
		assertThat(elapsedMillis).isGreaterThanOrEqualTo(150);
		assertThat(datagrams.stream().mapToInt((datagram) -> datagram.split("\n").length).sum()).isEqualTo(4_000);
		assertThat(client.telemetry().droppedTotal()).isZero();
	}

	@Test
	void sendsTimerValuesBeforeTheLingerEndsWhenHalfThePendingLimitIsReached() throws IOException {
		StatsClient client = track(StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.UDP)
			.destHost("127.0.0.1")
			.destPort(this.receiver.port())
			.set(StatsClientConfig.LINGER, Duration.ofMinutes(1))
			.set(StatsClientConfig.MAX_PENDING_VALUES, 1000)
			.build()));
		// Two flushes a moment apart: 600 values in the time between them is a rate far
		// above a quarter of the limit per minute's linger.
		List<String> lines = new ArrayList<>();
		for (int round = 0; round < 2; round++) {
			for (int i = round * 600; i < (round + 1) * 600; i++) {
				client.time("burst", i);
			}
			assertThat(client.flush()).isTrue();
			lines.addAll(this.receiver.lines(QUIET_MILLIS));
		}
		// Within the minute's linger that the last flush started, at least half the limit
		// goes without waiting for it, and none is dropped.
		for (int i = 1200; i < 1800; i++) {
			client.time("burst", i);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			lines.addAll(this.receiver.lines(QUIET_MILLIS));
			assertThat(lines).hasSizeGreaterThanOrEqualTo(1200 + 500);
		});
		assertThat(client.flush()).isTrue();
		lines.addAll(this.receiver.lines(QUIET_MILLIS));
		assertThat(lines)
			.containsExactlyElementsOf(IntStream.range(0, 1800).mapToObj((i) -> "burst:" + i + "|ms").toList());
		assertThat(client.telemetry().droppedTotal()).isZero();
	}

	@Test
	void rejectsANegativePacketRate() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StatsClient.create(StatsClientConfig.builder()
				.protocol(Protocol.UDP)
				.destHost("127.0.0.1")
				.destPort(8125)
				.set(StatsClientConfig.STATSD_MAX_PACKETS_PER_SECOND, -1)
				.build()))
			.withMessageContaining("max_packets_per_second")
			.withMessageContaining("0 for no limit");
	}

	@Test
	void writesNegativeGaugeAsResetThenDelta() throws IOException {
		StatsClient client = track(new UdpClient("127.0.0.1", this.receiver.port(), null));
		client.gauge("temperature", -5);
		assertThat(client.flush()).isTrue();
		assertThat(this.receiver.lines(QUIET_MILLIS)).containsExactly("temperature:0|g", "temperature:-5|g");
	}

	@Test
	void sendsASampledCounterAsItsScaledUpCountWithoutARate() throws IOException {
		StatsClient client = track(new UdpClient("127.0.0.1", this.receiver.port(), null));
		for (int i = 0; i < 200; i++) {
			client.incr("sampled", 1, 0.5);
		}
		assertThat(client.flush()).isTrue();
		List<String> lines = this.receiver.lines(QUIET_MILLIS);
		assertThat(lines).isNotEmpty().allMatch((line) -> line.matches("sampled:[0-9]+\\|c"));
		int sent = lines.stream().mapToInt((line) -> Integer.parseInt(line.split("[:|]")[1])).sum();
		long sampledIn = client.telemetry().delivered();
		assertThat(sampledIn).isBetween(1L, 200L);
		assertThat(sent).isEqualTo(2 * sampledIn);
	}

	@Test
	void sanitizesNamesAndJoinsThePrefix() throws IOException {
		StatsClient client = track(new UdpClient("127.0.0.1", this.receiver.port(), "my app"));
		client.incr("a:b|c@d e");
		client.gauge(".trimmed.", 1);
		assertThat(client.flush()).isTrue();
		assertThat(this.receiver.lines(QUIET_MILLIS)).containsExactlyInAnyOrder("my_app.a_b_c_d_e:1|c",
				"my_app.trimmed:1|g");
	}

	@Test
	void writesHistogramsWithTheConfiguredType() throws IOException {
		StatsClient client = track(StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.UDP)
			.destHost("127.0.0.1")
			.destPort(this.receiver.port())
			.set(StatsClientConfig.STATSD_HISTOGRAM_TYPE, HistogramType.MS)
			.build()));
		client.hist("payload", 512);
		assertThat(client.flush()).isTrue();
		assertThat(this.receiver.lines(QUIET_MILLIS)).containsExactly("payload:512|ms");
	}

	@Test
	void packsLinesIntoDatagramsWithinTheSizeLimitWithoutSplittingOne() throws IOException {
		int maxPacketSize = 200;
		StatsClient client = track(StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.UDP)
			.destHost("127.0.0.1")
			.destPort(this.receiver.port())
			.set(StatsClientConfig.STATSD_MAX_PACKET_SIZE, maxPacketSize)
			// Only the flush sends: each send the linger starts while recording would end
			// with a datagram part full.
			.set(StatsClientConfig.LINGER, Duration.ofMinutes(1))
			.build()));
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			client.incr("metric.number." + i, i + 1);
			expected.add("metric.number." + i + ":" + (i + 1) + "|c");
		}
		String longName = "long." + "x".repeat(400);
		client.gauge(longName, 7);
		String cutName = longName.substring(0, MetricNames.MAX_LENGTH);
		expected.add(cutName + ":7|g");
		assertThat(client.flush()).isTrue();
		List<String> datagrams = this.receiver.datagrams(QUIET_MILLIS);
		List<String> lines = new ArrayList<>();
		for (String datagram : datagrams) {
			if (datagram.length() > maxPacketSize) {
				assertThat(datagram).as("only a line longer than the limit goes over it, alone")
					.isEqualTo(cutName + ":7|g");
			}
			assertThat(datagram).doesNotStartWith("\n").doesNotEndWith("\n").doesNotContain("\n\n");
			for (String line : datagram.split("\n")) {
				assertThat(line).as("a whole line").matches("[a-z0-9.x]+:[0-9]+\\|[cg]");
				lines.add(line);
			}
		}
		assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(datagrams.size()).as("datagrams are filled, not one per line").isLessThan(expected.size() / 4);
		assertThat(client.telemetry().requests()).isEqualTo(datagrams.size());
		assertThat(client.telemetry().bytes()).isEqualTo(datagrams.stream().mapToInt(String::length).sum());
	}

	@Test
	void mergesManyCounterUpdatesIntoAHandfulOfDatagrams() throws IOException {
		// Only the flush sends: each send the linger starts while recording would add
		// datagrams.
		StatsClient client = track(StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.UDP)
			.destHost("127.0.0.1")
			.destPort(this.receiver.port())
			.set(StatsClientConfig.LINGER, Duration.ofMinutes(1))
			.build()));
		for (int i = 0; i < 10_000; i++) {
			client.incr("counter." + (i % 100));
		}
		assertThat(client.flush()).isTrue();
		List<String> datagrams = this.receiver.datagrams(QUIET_MILLIS);
		int total = datagrams.stream()
			.flatMap((datagram) -> List.of(datagram.split("\n")).stream())
			.mapToInt((line) -> Integer.parseInt(line.substring(line.indexOf(':') + 1, line.indexOf('|'))))
			.sum();
		System.out.println("UDP: 10,000 counter updates over 100 names arrived in " + datagrams.size() + " datagrams, "
				+ client.telemetry().bytes() + " bytes");
		assertThat(total).isEqualTo(10_000);
		assertThat(datagrams.size()).isLessThan(20);
	}

	@Test
	void countsSendErrorsAsFailedAndNeverRetries() throws IOException {
		int closedPort;
		try (DatagramSocket socket = new DatagramSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		StatsClient client = track(new UdpClient("127.0.0.1", closedPort, null));
		// Linux reports the unreachable port on the send after the one that provoked it.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			client.incr("lost");
			client.flush();
			assertThat(client.telemetry().dropped(DropReason.SEND_FAILED)).isPositive();
		});
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.retries()).isZero();
		assertThat(telemetry.lastErrorMessage()).contains("PortUnreachableException");
		client.close();
		Telemetry closed = client.telemetry();
		assertThat(closed.delivered() + closed.dropped(DropReason.SEND_FAILED)).isEqualTo(closed.recorded());
		assertThat(closed.unaccounted()).isZero();
	}

	private StatsClient track(StatsClient client) {
		this.clients.add(client);
		return client;
	}

}
