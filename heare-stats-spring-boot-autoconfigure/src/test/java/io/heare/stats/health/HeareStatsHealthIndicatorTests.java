package io.heare.stats.health;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.HttpClient;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.RetryPolicy;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.Telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link HeareStatsHealthIndicator}.
 */
class HeareStatsHealthIndicatorTests {

	private static final Instant EARLIER = Instant.parse("2025-01-01T10:00:00Z");

	private static final Instant LATER = EARLIER.plusSeconds(5);

	@StartStop
	private final MockWebServer server = new MockWebServer();

	@Test
	void upBeforeAnythingWasSent() {
		Health health = new HeareStatsHealthIndicator(StatsClient.noop()).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("requests", 0L)
			.containsEntry("sent", 0L)
			.containsEntry("pending", 0L)
			.containsEntry("dropped", Map.of("total", 0L))
			.doesNotContainKeys("error", "lastSuccess", "lastError");
	}

	@Test
	void upWhenTheLastSendSucceeded() {
		Health health = healthOf(telemetry(LATER, EARLIER, "HTTP 503"), true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("delivering", true)
			.containsEntry("requests", 7L)
			.containsEntry("delivered", 45L)
			.containsEntry("sent", 40L)
			.containsEntry("pending", 3L)
			.containsEntry("lastSuccess", LATER.toString())
			.doesNotContainKey("error");
	}

	@Test
	void upButNotDeliveringWithTheErrorAndDropsWhenTheLastSendFailed() {
		Health health = healthOf(telemetry(EARLIER, LATER, "HTTP 503 from http://metrics:80/http"), false);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("delivering", false)
			.containsEntry("error", "HTTP 503 from http://metrics:80/http")
			.containsEntry("lastError", LATER.toString())
			.containsEntry("dropped", Map.of("total", 2L, "rejected", 2L));
	}

	@Test
	void downWhenTheLastSendFailedIfAskedTo() {
		Health health = healthOf(telemetry(EARLIER, LATER, "HTTP 503 from http://metrics:80/http"), true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("delivering", false)
			.containsEntry("error", "HTTP 503 from http://metrics:80/http");
	}

	@Test
	void notDeliveringWhenNothingWasEverDelivered() {
		assertThat(healthOf(telemetry(null, LATER, "refused"), false).getDetails()).containsEntry("delivering", false);
		assertThat(healthOf(telemetry(null, LATER, "refused"), true).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void downWhileTheServiceFailsAndUpOnceItRecovers() {
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		try (StatsClient client = StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(this.server.getPort())
			.secret("s3cret")
			.retryPolicy(new RetryPolicy(Duration.ofMillis(500), Duration.ofMillis(500), 1.0, 0.0))
			.build())) {
			HeareStatsHealthIndicator indicator = new HeareStatsHealthIndicator(client, true);
			client.incr("requests");
			await().atMost(Duration.ofSeconds(5)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
			assertThat(indicator.health().getDetails().get("error").toString()).contains("HTTP 503")
				.doesNotContain("s3cret");
			await().atMost(Duration.ofSeconds(5)).until(() -> indicator.health().getStatus().equals(Status.UP));
			assertThat(indicator.health().getDetails()).containsEntry("sent", 1L).doesNotContainValue("s3cret");
		}
	}

	private static Health healthOf(Telemetry telemetry, boolean downOnFailure) {
		StatsClient client = mock(StatsClient.class);
		given(client.telemetry()).willReturn(telemetry);
		return new HeareStatsHealthIndicator(client, downOnFailure).health();
	}

	private static Telemetry telemetry(Instant lastSuccess, Instant lastError, String lastErrorMessage) {
		Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
		for (DropReason reason : DropReason.values()) {
			dropped.put(reason, 0L);
		}
		dropped.put(DropReason.REJECTED, 2L);
		return new Telemetry(50, 40, 7, 1024, dropped, 1, 2, lastSuccess, lastError, lastErrorMessage, 3, 45, 0);
	}

}
