package io.heare.stats.autoconfigure;

import io.heare.stats.client.StatsClientBuilder;

/**
 * Callback that customizes the builder of the auto-configured
 * {@link io.heare.stats.client.StatsClient} after the {@code heare.stats.*} properties
 * were applied and before the client is built. Customizers run in
 * {@link org.springframework.core.Ordered order}. A customizer that sets a
 * protocol-specific setting checks the builder's type first, for example
 * {@code if (builder instanceof HttpClient.Builder http) { ... }}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@FunctionalInterface
public interface StatsClientBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder of the protocol that is configured
	 */
	void customize(StatsClientBuilder<?, ?> builder);

}
