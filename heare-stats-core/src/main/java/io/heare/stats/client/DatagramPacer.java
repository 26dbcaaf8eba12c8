package io.heare.stats.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces datagrams out to at most a given number per second, letting a hundredth of a
 * second's worth go back to back. A StatsD daemon reads its socket at its own pace; a
 * batch sent faster overflows the socket's receive buffer and the kernel drops datagrams
 * where no client can count them. Pacing keeps such values in the client, where the caps
 * drop them visibly if the daemon cannot keep up. Runs on the sender thread only.
 */
final class DatagramPacer {

	private final long intervalNanos;

	private final long burstNanos;

	// When the next datagram would be due if every one were sent exactly on the interval.
	private long dueNanos;

	/**
	 * @param perSecond the most datagrams per second, at least 1
	 */
	DatagramPacer(int perSecond) {
		this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
		this.burstNanos = this.intervalNanos * Math.max(0, perSecond / 100 - 1);
		this.dueNanos = System.nanoTime();
	}

	/** Waits until one more datagram may go. */
	void await() {
		long now = System.nanoTime();
		if (this.dueNanos - now < 0) {
			this.dueNanos = now;
		}
		long wait = this.dueNanos - now - this.burstNanos;
		while (wait > 0 && !Thread.currentThread().isInterrupted()) {
			LockSupport.parkNanos(this, wait);
			wait = this.dueNanos - System.nanoTime() - this.burstNanos;
		}
		this.dueNanos += this.intervalNanos;
	}

}
