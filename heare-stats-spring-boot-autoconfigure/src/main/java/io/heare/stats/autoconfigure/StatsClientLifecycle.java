package io.heare.stats.autoconfigure;

import org.springframework.context.SmartLifecycle;

import io.heare.stats.client.StatsClient;

/**
 * Flushes and closes the {@link StatsClient} when the application context closes, after
 * the web server stopped taking requests, so that the metrics of the last requests are
 * sent.
 * <p>
 * Lifecycles stop from the highest phase to the lowest. Boot's web server lifecycles stop
 * at {@code Integer.MAX_VALUE - 1024} (graceful shutdown) and {@code Integer.MAX_VALUE -
 * 2048} (server stop), message listener containers and task executors close to
 * {@code Integer.MAX_VALUE}: all of them stop before this one. Shared HTTP client
 * resources such as Reactor Netty's ({@code ReactorResourceFactory}, phase 0) stop after
 * it, so that a {@code WebClient} transport can still send the final batch.
 *
 * @author heare-stats
 */
final class StatsClientLifecycle implements SmartLifecycle {

	/**
	 * The phase in which the client is closed.
	 */
	static final int PHASE = Integer.MAX_VALUE / 2;

	private final StatsClient client;

	private volatile boolean running;

	StatsClientLifecycle(StatsClient client) {
		this.client = client;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		// close() flushes first, waiting at most heare.stats.close-timeout.
		this.running = false;
		this.client.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Not pauseable: closing is final and a restart would not reopen the client, so a
	 * paused context (a cached test context while another one is in use) keeps it open.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

}
