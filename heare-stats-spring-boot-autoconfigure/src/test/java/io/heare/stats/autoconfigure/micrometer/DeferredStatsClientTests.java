package io.heare.stats.autoconfigure.micrometer;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.UdpClient;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeferredStatsClient}.
 */
class DeferredStatsClientTests {

	private final DeferredStatsClient deferred = new DeferredStatsClient();

	private final StatsClient client = mock(StatsClient.class);

	private final Pipeline pipeline = mock(Pipeline.class);

	@Test
	void updatesRecordedBeforeTheClientIsAttachedAreHandedOverInOneBatch() {
		given(this.client.pipeline()).willReturn(this.pipeline);
		this.deferred.incr("logback.events.level.info", 1);
		this.deferred.time("startup.step", 12.5);
		this.deferred.gauge("pool.size", 4);
		this.deferred.hist("payload", 512);
		verifyNoInteractions(this.client);
		this.deferred.attach(this.client);
		var order = inOrder(this.pipeline);
		order.verify(this.pipeline).incr("logback.events.level.info", 1);
		order.verify(this.pipeline).time("startup.step", 12.5);
		order.verify(this.pipeline).gauge("pool.size", 4);
		order.verify(this.pipeline).hist("payload", 512);
		order.verify(this.pipeline).close();
	}

	@Test
	void updatesAfterAttachGoStraightToTheClient() {
		this.deferred.attach(this.client);
		this.deferred.incr("orders", 1);
		verify(this.client).incr("orders", 1);
		verify(this.client, never()).pipeline();
	}

	@Test
	void updatesBeyondTheBoundAreDroppedAndCounted() {
		given(this.client.pipeline()).willReturn(this.pipeline);
		for (int i = 0; i < DeferredStatsClient.MAX_WAITING + 3; i++) {
			this.deferred.incr("c", 1);
		}
		assertThat(this.deferred.dropped()).isEqualTo(3);
		this.deferred.attach(this.client);
		verify(this.pipeline, org.mockito.Mockito.times(DeferredStatsClient.MAX_WAITING)).incr("c", 1);
	}

	@Test
	void updatesDroppedBeforeTheClientIsAttachedAreCountedInItsTelemetry() throws SocketException {
		try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
				StatsClient real = StatsClient.create(StatsClientConfig.builder()
					.protocol(Protocol.UDP)
					.destHost("127.0.0.1")
					.destPort(receiver.getLocalPort())
					.build())) {
			for (int i = 0; i < DeferredStatsClient.MAX_WAITING + 3; i++) {
				this.deferred.incr("c", 1);
			}
			this.deferred.attach(real);
			assertThat(this.deferred.telemetry().dropped(DropReason.VALUE_LIMIT)).isEqualTo(3);
			assertThat(this.deferred.flush()).isFalse();
			assertThat(this.deferred.flush()).isTrue();
		}
	}

	@Test
	void dropsCountedByTheRegistryBeforeTheClientIsAttachedReachItsTelemetry() throws SocketException {
		try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
				StatsClient real = StatsClient.create(StatsClientConfig.builder()
					.protocol(Protocol.UDP)
					.destHost("127.0.0.1")
					.destPort(receiver.getLocalPort())
					.build())) {
			this.deferred.refusedElsewhere(DropReason.NAME_LIMIT, 2);
			this.deferred.attach(real);
			this.deferred.refusedElsewhere(DropReason.NAME_LIMIT, 1);
			assertThat(real.telemetry().dropped(DropReason.NAME_LIMIT)).isEqualTo(3);
			assertThat(this.deferred.flush()).isFalse();
		}
	}

	@Test
	void flushReportsDropsBeforeTheClientIsAttached() {
		for (int i = 0; i < DeferredStatsClient.MAX_WAITING + 1; i++) {
			this.deferred.gauge("g", i);
		}
		assertThat(this.deferred.flush()).isFalse();
		assertThat(this.deferred.flush()).isTrue();
	}

	@Test
	void sampledUpdatesRecordedBeforeTheClientIsAttachedKeepTheirRate() {
		given(this.client.pipeline()).willReturn(this.pipeline);
		this.deferred.incr("requests", 1, 0.25);
		this.deferred.time("latency", 7.5, 0.5);
		this.deferred.attach(this.client);
		verify(this.pipeline).incr("requests", 1, 0.25);
		verify(this.pipeline).time("latency", 7.5, 0.5);
		verify(this.pipeline, never()).incr("requests", 1);
		verify(this.pipeline, never()).time("latency", 7.5);
	}

	@Test
	void neverClosesTheApplicationsClient() {
		this.deferred.attach(this.client);
		this.deferred.close();
		verify(this.client, never()).close();
	}

}
