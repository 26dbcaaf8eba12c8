package io.heare.stats.micrometer;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.UdpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HeareMeterRegistry} over a real {@link UdpClient} to a loopback UDP socket: the
 * StatsD lines that arrive.
 */
class HeareMeterRegistryUdpTests {

	private final DatagramSocket socket = new DatagramSocket(
			new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

	private final StatsClient client = StatsClient.create(StatsClientConfig.builder()
		.protocol(Protocol.UDP)
		.destHost("127.0.0.1")
		.destPort(this.socket.getLocalPort())
		.prefix("shop")
		.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false)
		.build());

	private final HeareMeterRegistry registry = new HeareMeterRegistry(HeareConfig.DEFAULT, this.client);

	HeareMeterRegistryUdpTests() throws IOException {
	}

	@AfterEach
	void close() {
		this.registry.close();
		this.client.close();
		this.socket.close();
	}

	@Test
	void countersTimersSummariesAndGaugesArriveAsStatsdLines() throws IOException {
		this.registry.counter("orders.created", "region", "eu").increment();
		this.registry.counter("orders.created", "region", "eu").increment(2);
		this.registry.timer("db.query").record(1500, TimeUnit.MICROSECONDS);
		this.registry.summary("payload.size").record(512);
		this.registry.gauge("jobs.queue", new AtomicInteger(4));
		this.registry.close();
		this.client.flush();
		List<String> lines = lines(500);
		// An idle client sends at once, so the two increments may arrive as one line or
		// two.
		String counter = "shop.orders.created.region.eu:";
		assertThat(lines.stream()
			.filter((line) -> line.startsWith(counter))
			.peek((line) -> assertThat(line).endsWith("|c"))
			.mapToDouble((line) -> Double.parseDouble(line.substring(counter.length(), line.indexOf('|'))))
			.sum()).isEqualTo(3);
		assertThat(lines).filteredOn((line) -> !line.startsWith(counter))
			.containsExactlyInAnyOrder("shop.db.query:1.5|ms", "shop.payload.size:512|h", "shop.jobs.queue:4|g");
	}

	private List<String> lines(int quietMillis) throws IOException {
		List<String> lines = new ArrayList<>();
		byte[] buffer = new byte[65_536];
		this.socket.setSoTimeout(quietMillis);
		while (true) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				this.socket.receive(packet);
			}
			catch (SocketTimeoutException ex) {
				return lines;
			}
			String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
			lines.addAll(Arrays.asList(datagram.split("\n")));
		}
	}

}
