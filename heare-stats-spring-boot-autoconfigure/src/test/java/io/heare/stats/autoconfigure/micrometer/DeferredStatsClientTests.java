package io.heare.stats.autoconfigure.micrometer;

import org.junit.jupiter.api.Test;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;

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
	void neverClosesTheApplicationsClient() {
		this.deferred.attach(this.client);
		this.deferred.close();
		verify(this.client, never()).close();
	}

}
