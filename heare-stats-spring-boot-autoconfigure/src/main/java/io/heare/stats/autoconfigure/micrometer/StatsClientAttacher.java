package io.heare.stats.autoconfigure.micrometer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import io.heare.stats.client.StatsClient;

/**
 * Gives the heare registry the application's {@link StatsClient} once every singleton
 * exists (see {@link DeferredStatsClient} for why not sooner).
 */
final class StatsClientAttacher implements SmartInitializingSingleton {

	private final ObjectProvider<StatsClient> statsClient;

	private final DeferredStatsClient client = new DeferredStatsClient();

	StatsClientAttacher(ObjectProvider<StatsClient> statsClient) {
		this.statsClient = statsClient;
	}

	/** The client the registry sends through. */
	StatsClient client() {
		return this.client;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.client.attach(this.statsClient.getObject());
	}

}
