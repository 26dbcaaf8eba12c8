package io.heare.stats.client;

/**
 * Threads that map to a chosen {@link ValueLanes} lane, for tests about lane ownership.
 */
final class LaneThreads {

	private LaneThreads() {
	}

	/**
	 * A new daemon thread, not started, whose id maps to {@code lane}. Thread ids are
	 * handed out in sequence, so one of the next {@link ValueLanes#LANES} threads created
	 * does.
	 */
	@SuppressWarnings("deprecation") // Thread.threadId() needs Java 19.
	static Thread onLane(int lane, Runnable task) {
		while (true) {
			Thread thread = new Thread(task);
			if ((thread.getId() & (ValueLanes.LANES - 1)) == lane) {
				thread.setDaemon(true);
				return thread;
			}
		}
	}

}
