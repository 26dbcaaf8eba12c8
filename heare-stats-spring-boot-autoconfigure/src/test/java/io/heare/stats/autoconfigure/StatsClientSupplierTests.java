package io.heare.stats.autoconfigure;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;

import io.heare.stats.client.StatsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StatsClientSupplier}.
 */
class StatsClientSupplierTests {

	@Test
	void asksTheProviderOnFirstUseOnly() {
		CountingProvider provider = new CountingProvider();
		StatsClientSupplier supplier = new StatsClientSupplier(provider);
		assertThat(provider.lookups).hasValue(0);
		for (int i = 0; i < 3; i++) {
			assertThat(supplier.get()).isSameAs(StatsClient.noop());
		}
		assertThat(provider.lookups).hasValue(1);
	}

	private static final class CountingProvider implements ObjectProvider<StatsClient> {

		private final AtomicInteger lookups = new AtomicInteger();

		@Override
		public StatsClient getObject() {
			this.lookups.incrementAndGet();
			return StatsClient.noop();
		}

		@Override
		public StatsClient getObject(Object... args) {
			return getObject();
		}

		@Override
		public StatsClient getIfAvailable() {
			return getObject();
		}

		@Override
		public StatsClient getIfUnique() {
			return getObject();
		}

	}

}
