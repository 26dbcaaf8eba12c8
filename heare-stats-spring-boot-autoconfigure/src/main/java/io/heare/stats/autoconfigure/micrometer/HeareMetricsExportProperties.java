package io.heare.stats.autoconfigure.micrometer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@link ConfigurationProperties @ConfigurationProperties} for sending Micrometer meters
 * to heare. The keys follow Spring Boot's own exporters
 * ({@code management.<name>.metrics.export.*}), so that
 * {@code management.defaults.metrics.export.enabled} applies to heare as to every other
 * registry. Where the metrics go is set by {@code heare.stats.*}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@ConfigurationProperties("management.heare.metrics.export")
public class HeareMetricsExportProperties {

	/**
	 * Whether exporting of Micrometer metrics to heare is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Interval at which gauges, function counters, function timers and long task timers
	 * are read and sent. Counters, timers and distribution summaries are sent as they are
	 * recorded.
	 */
	private Duration step = Duration.ofSeconds(10);

	/**
	 * Maximum number of meters sent to heare; further meters are not created and a
	 * warning is logged once.
	 */
	private int maxMeters = 2_000;

	private final Tags tags = new Tags();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getStep() {
		return this.step;
	}

	public void setStep(Duration step) {
		this.step = step;
	}

	public int getMaxMeters() {
		return this.maxMeters;
	}

	public void setMaxMeters(int maxMeters) {
		this.maxMeters = maxMeters;
	}

	public Tags getTags() {
		return this.tags;
	}

	/**
	 * Which tags go into the heare names, by meter name.
	 */
	public static class Tags {

		/**
		 * Tag keys to keep, by meter name or dotted name prefix ('all' for every meter);
		 * the meter's other tags are dropped, and meters that differ only in them count
		 * as one.
		 */
		private Map<String, List<String>> allow = new LinkedHashMap<>();

		/**
		 * Tag keys to drop, by meter name or dotted name prefix ('all' for every meter),
		 * applied after the allowed keys; meters that differ only in them count as one.
		 */
		private Map<String, List<String>> deny = new LinkedHashMap<>();

		public Map<String, List<String>> getAllow() {
			return this.allow;
		}

		public void setAllow(Map<String, List<String>> allow) {
			this.allow = allow;
		}

		public Map<String, List<String>> getDeny() {
			return this.deny;
		}

		public void setDeny(Map<String, List<String>> deny) {
			this.deny = deny;
		}

	}

}
