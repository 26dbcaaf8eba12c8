package io.heare.stats.autoconfigure.micrometer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import io.heare.stats.micrometer.HeareMeterRegistry;

/**
 * Closes the heare registries, which publishes its last step (gauges, function counters'
 * deltas), while the application's {@code StatsClient} is still open. The client is
 * closed by a lifecycle bean in phase {@link #CLIENT_PHASE}; lifecycle beans stop before
 * singletons are destroyed, so the registry's own close at destruction would publish into
 * a closed client. A higher phase stops earlier: after the web server (which stops at
 * {@code SmartLifecycle.DEFAULT_PHASE - 2048}) has finished its requests, before the
 * client.
 */
final class HeareMeterRegistryLifecycle implements SmartLifecycle {

	/** The phase in which the starter closes the application's {@code StatsClient}. */
	static final int CLIENT_PHASE = Integer.MAX_VALUE / 2;

	private final ObjectProvider<HeareMeterRegistry> registries;

	private volatile boolean running;

	HeareMeterRegistryLifecycle(ObjectProvider<HeareMeterRegistry> registries) {
		this.registries = registries;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.registries.orderedStream().forEach(HeareMeterRegistry::close);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return CLIENT_PHASE + 1;
	}

	/**
	 * Not pauseable: a closed registry stays closed, so a paused context keeps it open.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

}
