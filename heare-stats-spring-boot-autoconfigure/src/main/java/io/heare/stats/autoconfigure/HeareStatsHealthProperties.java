package io.heare.stats.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.heare.stats.health.HeareStatsHealthIndicator;

/**
 * {@link ConfigurationProperties @ConfigurationProperties} for the
 * {@link HeareStatsHealthIndicator heare stats health indicator}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@ConfigurationProperties("management.health.heare-stats")
public class HeareStatsHealthProperties {

	/**
	 * Whether the health check reports DOWN, and so takes the application's overall
	 * health down with it, while the metrics service cannot be reached or rejects what is
	 * sent. When off, a metrics outage shows in the check's details without marking the
	 * application unhealthy.
	 */
	private boolean downOnFailure;

	public boolean isDownOnFailure() {
		return this.downOnFailure;
	}

	public void setDownOnFailure(boolean downOnFailure) {
		this.downOnFailure = downOnFailure;
	}

}
