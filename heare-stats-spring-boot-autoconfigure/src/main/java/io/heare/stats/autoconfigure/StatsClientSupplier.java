package io.heare.stats.autoconfigure;

import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;

import io.heare.stats.client.StatsClient;

/**
 * Supplies the application's {@link StatsClient} to instrumentation that is created
 * before it (advisors, filters): looked up on first use rather than at creation, so the
 * client is not created early, then remembered, so the bean factory is not asked again on
 * every request.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class StatsClientSupplier implements Supplier<StatsClient> {

	private final ObjectProvider<StatsClient> provider;

	private volatile StatsClient client;

	/**
	 * Creates a supplier.
	 * @param provider the application's client
	 */
	public StatsClientSupplier(ObjectProvider<StatsClient> provider) {
		this.provider = provider;
	}

	@Override
	public StatsClient get() {
		StatsClient resolved = this.client;
		if (resolved == null) {
			resolved = this.provider.getObject();
			this.client = resolved;
		}
		return resolved;
	}

}
