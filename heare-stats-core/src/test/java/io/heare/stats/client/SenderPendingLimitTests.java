package io.heare.stats.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a {@link Sender} whose split batch failed keeps what waits for the retry
 * within its limit on pending values, and counts what it cannot keep.
 */
@Timeout(30)
class SenderPendingLimitTests {

	@StartStop
	final MockWebServer server = new MockWebServer();

	@Test
	void valuesOverThePendingLimitWhenAFailedSplitBatchWaitsAreDroppedAndCounted() {
		AtomicInteger requests = new AtomicInteger();
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code((requests.getAndIncrement() == 0) ? 503 : 200).build();
			}
		});
		ClientStats stats = new ClientStats();
		// The aggregator takes 12 values; the sender keeps at most 5 while a send waits
		// for its retry.
		Aggregator aggregator = new Aggregator(null, 100, 1000, stats);
		Transport transport = Transports.http(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(this.server.getPort())
			.secret("s3cret")
			.set(StatsClientConfig.HTTP_MAX_BATCH_SIZE, 4)
			.build());
		Sender sender = new Sender(aggregator, transport, stats,
				new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50), 2.0, 0.0), Duration.ZERO, 5, Thread::new);
		sender.start();
		try {
			for (int i = 0; i < 12; i++) {
				aggregator.time("timer", i);
			}
			assertThat(sender.flush(Duration.ofSeconds(10))).as("values were dropped").isFalse();
			Telemetry telemetry = stats.snapshot();
			assertThat(telemetry.dropped(DropReason.VALUE_LIMIT)).isEqualTo(7);
			assertThat(telemetry.delivered()).isEqualTo(5);
			assertThat(telemetry.pending()).isZero();
			aggregator.time("timer", 12);
			assertThat(sender.flush(Duration.ofSeconds(10))).as("nothing lost since").isTrue();
		}
		finally {
			sender.stop(Duration.ofSeconds(1));
		}
	}

}
