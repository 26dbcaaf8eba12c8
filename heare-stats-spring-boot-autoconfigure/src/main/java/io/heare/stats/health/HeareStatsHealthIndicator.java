package io.heare.stats.health;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Telemetry;

/**
 * {@link HealthIndicator} for a heare stats {@link StatsClient}. The client is
 * {@code delivering} while sends succeed (or none was needed yet), and not when the last
 * failed send is more recent than the last successful one; then the details carry the
 * error. The status stays up unless the indicator was created to report failures as down:
 * an application whose metrics service is unreachable still serves its users, and a load
 * balancer or orchestrator reading the overall health should not take it out of service
 * for that. The details are the client's {@link Telemetry}; they never include the
 * secret.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class HeareStatsHealthIndicator extends AbstractHealthIndicator {

	private final StatsClient client;

	private final boolean downOnFailure;

	/**
	 * Creates an indicator that stays up while delivery fails.
	 * @param client the client to report on
	 */
	public HeareStatsHealthIndicator(StatsClient client) {
		this(client, false);
	}

	/**
	 * Creates an indicator.
	 * @param client the client to report on
	 * @param downOnFailure whether to report down while delivery fails
	 */
	public HeareStatsHealthIndicator(StatsClient client, boolean downOnFailure) {
		super("heare stats health check failed");
		this.client = client;
		this.downOnFailure = downOnFailure;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Telemetry telemetry = this.client.telemetry();
		boolean failing = failing(telemetry);
		if (failing) {
			builder.withDetail("error", String.valueOf(telemetry.lastErrorMessage()));
		}
		if (failing && this.downOnFailure) {
			builder.down();
		}
		else {
			builder.up();
		}
		builder.withDetail("delivering", !failing);
		builder.withDetail("client", this.client.toString())
			.withDetail("recorded", telemetry.recorded())
			.withDetail("requests", telemetry.requests())
			.withDetail("delivered", telemetry.delivered())
			.withDetail("sent", telemetry.sentMetrics())
			.withDetail("pending", telemetry.pending())
			.withDetail("failures", telemetry.failures())
			.withDetail("retries", telemetry.retries())
			.withDetail("dropped", dropped(telemetry));
		if (telemetry.lastSuccess() != null) {
			builder.withDetail("lastSuccess", telemetry.lastSuccess().toString());
		}
		if (telemetry.lastError() != null) {
			builder.withDetail("lastError", telemetry.lastError().toString());
		}
	}

	private static boolean failing(Telemetry telemetry) {
		Instant lastError = telemetry.lastError();
		Instant lastSuccess = telemetry.lastSuccess();
		return lastError != null && (lastSuccess == null || lastError.isAfter(lastSuccess));
	}

	private static Map<String, Long> dropped(Telemetry telemetry) {
		Map<String, Long> dropped = new TreeMap<>();
		dropped.put("total", telemetry.droppedTotal());
		for (DropReason reason : DropReason.values()) {
			long count = telemetry.dropped(reason);
			if (count > 0) {
				dropped.put(reason.name().toLowerCase(Locale.ROOT), count);
			}
		}
		return dropped;
	}

}
