package io.heare.stats.client;

/**
 * A client that can count updates dropped before they reached it, by a component in front
 * of it (the Micrometer registry's meter cap, or the queue that holds updates until the
 * client exists), so that they appear in its telemetry like its own drops. The clients
 * {@link StatsClient#create(StatsClientConfig)} returns implement it; a component that
 * wraps a client (a registry, a deferring proxy) calls it, and implements it too when it
 * is itself handed out as the client. Application code records through
 * {@link StatsClient} instead.
 */
public interface DropCounting {

	/**
	 * Counts {@code count} updates as recorded and dropped for {@code reason}.
	 * @param reason why the updates were dropped
	 * @param count how many updates
	 */
	void refusedElsewhere(DropReason reason, long count);

}
