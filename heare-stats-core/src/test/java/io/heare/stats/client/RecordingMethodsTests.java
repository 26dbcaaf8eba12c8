package io.heare.stats.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.heare.stats.client.MockWebServers.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every recording method of a client delivers what it records, and that after
 * {@link StatsClient#close()} each of them drops and counts its update instead.
 */
class RecordingMethodsTests {

	@StartStop
	final MockWebServer server = new MockWebServer();

	private final List<StatsClient> clients = new ArrayList<>();

	@BeforeEach
	void acceptEveryRequest() {
		QueueDispatcher dispatcher = new QueueDispatcher();
		dispatcher.setFailFast(new MockResponse.Builder().code(200).build());
		this.server.setDispatcher(dispatcher);
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(StatsClient::close);
	}

	private StatsClient client() {
		StatsClient client = StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(this.server.getPort())
			.secret("s3cret")
			.prefix("app")
			.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false)
			.build());
		this.clients.add(client);
		return client;
	}

	@Test
	void everyRecordingMethodDeliversItsUpdate() throws Exception {
		StatsClient client = client();
		client.incr("one");
		client.incr("many", 2.5);
		client.incr("rate.one", 4, 1.0);
		client.decr("down");
		client.decr("down.many", 3);
		client.time("t", 12.5);
		client.time("t.rate.one", 7, 1.0);
		client.time("t.duration", Duration.ofMillis(3));
		client.gauge("g", -4);
		client.hist("h", 512);
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		assertThat(received.counters).containsExactlyInAnyOrderEntriesOf(
				Map.of("app.one", 1d, "app.many", 2.5, "app.rate.one", 4d, "app.down", -1d, "app.down.many", -3d));
		assertThat(received.timers).containsExactlyInAnyOrderEntriesOf(
				Map.of("app.t", List.of(12.5), "app.t.rate.one", List.of(7d), "app.t.duration", List.of(3d)));
		assertThat(received.gauges).containsExactlyInAnyOrderEntriesOf(Map.of("app.g", -4d));
		assertThat(received.histograms).containsExactlyInAnyOrderEntriesOf(Map.of("app.h", List.of(512d)));
		assertThat(client.telemetry().recorded()).isEqualTo(10);
		assertThat(client.telemetry().droppedTotal()).isZero();
	}

	@Test
	void sampledUpdatesArriveScaledOrWithTheirValues() throws Exception {
		StatsClient client = client();
		int calls = 10_000;
		for (int i = 0; i < calls; i++) {
			client.incr("sampled.count", 1, 0.5);
			client.time("sampled.time", 5, 0.5);
		}
		assertThat(client.flush()).isTrue();
		ReceivedMetrics received = receivedSoFar();
		// About half are sampled in, each counted twice: ten standard deviations either
		// side.
		assertThat(received.counters.get("app.sampled.count")).isBetween(9_000d, 11_000d);
		assertThat(received.timers.get("app.sampled.time")).hasSizeBetween(4_500, 5_500).containsOnly(5d);
		// Updates are the calls sampled in: each counter increment arrived as 2.
		long sampledIn = received.counters.get("app.sampled.count").longValue() / 2
				+ received.timers.get("app.sampled.time").size();
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.recorded()).isEqualTo(sampledIn);
		assertThat(telemetry.delivered()).isEqualTo(sampledIn);
		assertThat(telemetry.droppedTotal()).isZero();
	}

	@Test
	void afterCloseEveryRecordingMethodCountsItsUpdateAsDroppedAndSendsNothing() throws Exception {
		StatsClient client = client();
		client.close();
		client.incr("a");
		client.incr("a", 2);
		client.incr("a", 2, 0.5);
		client.decr("a");
		client.time("t", 1);
		client.time("t", 1, 0.5);
		client.time("t", Duration.ofMillis(1));
		client.gauge("g", 1);
		client.hist("h", 1);
		try (Pipeline pipe = client.pipeline()) {
			pipe.incr("p").gauge("p.g", 1).time("p.t", 1);
		}
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.dropped(DropReason.CLOSED)).isEqualTo(9 + 3);
		assertThat(telemetry.droppedTotal()).isEqualTo(9 + 3);
		// Dropped at once: recorded and dropped, never delivered, nothing unaccounted
		// for.
		assertThat(telemetry.recorded()).isEqualTo(9 + 3);
		assertThat(telemetry.delivered()).isZero();
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(client.flush()).isFalse();
		assertThat(this.server.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
	}

	private ReceivedMetrics receivedSoFar() throws InterruptedException {
		ReceivedMetrics received = new ReceivedMetrics();
		RecordedRequest request;
		while ((request = this.server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
			received.add(body(request));
		}
		return received;
	}

}
