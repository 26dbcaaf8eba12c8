package io.heare.stats.micrometer;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.Telemetry;
import io.heare.stats.client.UdpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HeareMeterRegistry}'s meter cap over a real {@link UdpClient} to a loopback UDP
 * socket: the meters it refuses send nothing, and every one of their updates is counted
 * as dropped, in the registry and in the client's telemetry.
 */
class HeareMeterRegistryMeterCapTests {

	private final DatagramSocket socket = new DatagramSocket(
			new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

	private final StatsClient client = StatsClient.create(StatsClientConfig.builder()
		.protocol(Protocol.UDP)
		.destHost("127.0.0.1")
		.destPort(this.socket.getLocalPort())
		.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false)
		.build());

	private HeareMeterRegistry registry;

	HeareMeterRegistryMeterCapTests() throws IOException {
	}

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
		this.client.close();
		this.socket.close();
	}

	private HeareMeterRegistry registry(int maxMeters) {
		this.registry = new HeareMeterRegistry(Map.of("heare.maxMeters", String.valueOf(maxMeters))::get, this.client);
		return this.registry;
	}

	@Test
	void everyUpdateOfARefusedMeterIsCountedAsDroppedInTheClientsTelemetry() {
		HeareMeterRegistry registry = registry(2);
		registry.counter("a").increment();
		registry.counter("b").increment();
		Counter refused = registry.counter("c", "user", "1");
		refused.increment();
		refused.increment(5);
		registry.counter("c", "user", "2").increment();
		registry.timer("d").record(3, TimeUnit.MILLISECONDS);
		registry.gauge("e", new AtomicInteger(7));
		registry.close();
		assertThat(registry.refusedUpdates()).isEqualTo(5);
		assertThat(registry.deniedMeters()).isEqualTo(4);
		assertThat(this.client.flush()).isFalse();
		Telemetry telemetry = this.client.telemetry();
		assertThat(telemetry.dropped(DropReason.NAME_LIMIT)).isEqualTo(5);
		assertThat(telemetry.delivered()).isEqualTo(2);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void refusedIdsShareOneMeterPerName() {
		HeareMeterRegistry registry = registry(1);
		registry.counter("a").increment();
		for (int user = 0; user < 100; user++) {
			registry.counter("c", "user", String.valueOf(user)).increment();
		}
		assertThat(registry.getMeters()).hasSize(2);
		assertThat(registry.get("c").tag("heare.refused", "true").counter().count()).isEqualTo(100);
		assertThat(registry.refusedUpdates()).isEqualTo(100);
	}

	@Test
	void aRemovedMeterGivesItsSlotBack() {
		HeareMeterRegistry registry = registry(1);
		Counter first = registry.counter("a");
		registry.remove(first);
		registry.counter("b").increment();
		assertThat(registry.refusedUpdates()).isZero();
		assertThat(registry.deniedMeters()).isZero();
	}

	@Test
	void concurrentRegistrationsDoNotOvershootTheCap() throws Exception {
		HeareMeterRegistry registry = registry(50);
		int threads = 4;
		CyclicBarrier start = new CyclicBarrier(threads);
		List<CompletableFuture<Void>> registrations = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			registrations.add(CompletableFuture.runAsync(() -> {
				try {
					start.await();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				for (int i = 0; i < 100; i++) {
					registry.counter("m" + thread + "." + i).increment();
				}
			}));
		}
		CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		// A meter whose slot was lost to a concurrent registration keeps its own id but
		// sends nothing, so what the client took, not the meters' tags, shows the cap
		// held.
		assertThat(registry.refusedUpdates()).isEqualTo(threads * 100 - 50);
		assertThat(this.client.flush()).isFalse();
		Telemetry telemetry = this.client.telemetry();
		assertThat(telemetry.delivered()).isEqualTo(50);
		assertThat(telemetry.dropped(DropReason.NAME_LIMIT)).isEqualTo(threads * 100 - 50);
		assertThat(telemetry.unaccounted()).isZero();
	}

}
