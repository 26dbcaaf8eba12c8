package io.heare.stats.autoconfigure.aop;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@link ConfigurationProperties @ConfigurationProperties} for the {@code @Timed} and
 * {@code @Counted} advice.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("heare.stats.aop")
public class HeareStatsAopProperties {

	/**
	 * Whether to record metrics for methods annotated with @Timed or @Counted.
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
