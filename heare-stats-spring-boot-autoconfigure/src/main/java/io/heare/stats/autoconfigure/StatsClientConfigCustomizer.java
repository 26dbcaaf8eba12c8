package io.heare.stats.autoconfigure;

import io.heare.stats.client.StatsClientConfig;

/**
 * Callback that customizes the {@link StatsClientConfig.Builder configuration} of the
 * auto-configured {@link io.heare.stats.client.StatsClient} after the
 * {@code heare.stats.*} properties were applied and before the client is created.
 * Customizers run in {@link org.springframework.core.Ordered order}. Every setting, of
 * any protocol, is set the same way, for example
 * {@code builder.set(StatsClientConfig.HTTP_REQUEST_TIMEOUT, Duration.ofSeconds(2))}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@FunctionalInterface
public interface StatsClientConfigCustomizer {

	/**
	 * Customizes the configuration.
	 * @param builder the builder, holding the properties' values
	 */
	void customize(StatsClientConfig.Builder builder);

}
