package io.heare.stats.collector;

import java.util.Arrays;

/**
 * The values of one timer or histogram: count, sum, min and max over every value ever
 * recorded, plus a ring buffer of the most recent values from which percentiles are
 * computed. The ring keeps memory bounded however long the collector runs, and it starts
 * small and grows with use, so that many rarely used names cost little.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class Distribution {

	/** How many recent values the snapshot carries for the dashboard chart. */
	static final int RECENT = 60;

	/** Size of a new ring; it doubles when full until it reaches the capacity. */
	static final int INITIAL_CAPACITY = 16;

	private final int capacity;

	private double[] ring;

	private int next;

	private int size;

	private long count;

	private double sum;

	private double min = Double.POSITIVE_INFINITY;

	private double max = Double.NEGATIVE_INFINITY;

	private long sampledCount;

	/**
	 * Creates an empty distribution.
	 * @param capacity how many recent values to keep for percentiles
	 */
	public Distribution(int capacity) {
		this.capacity = Math.max(1, capacity);
		this.ring = new double[Math.min(INITIAL_CAPACITY, this.capacity)];
	}

	/**
	 * Records one value.
	 * @param value the value
	 */
	public synchronized void record(double value) {
		if (this.size == this.ring.length && this.ring.length < this.capacity) {
			// Not wrapped yet while it can grow, so the values are in order from index 0.
			this.ring = Arrays.copyOf(this.ring, Math.min(this.capacity, this.ring.length * 2));
			this.next = this.size;
		}
		this.ring[this.next] = value;
		this.next = (this.next + 1) % this.ring.length;
		this.size = Math.min(this.size + 1, this.ring.length);
		this.count++;
		this.sum += value;
		this.min = Math.min(this.min, value);
		this.max = Math.max(this.max, value);
	}

	/**
	 * Returns a consistent view of the distribution.
	 * @return the snapshot
	 */
	public synchronized Snapshot snapshot() {
		double[] kept = latest(this.size);
		double[] recent = Arrays.copyOfRange(kept, Math.max(0, kept.length - RECENT), kept.length);
		Arrays.sort(kept);
		return new Snapshot(this.count, this.sum, this.min, this.max, percentile(kept, 0.50), percentile(kept, 0.95),
				percentile(kept, 0.99), recent);
	}

	/**
	 * Returns the values recorded since the previous call (as many of them as the ring
	 * still holds), sorted, for the history's per-interval percentiles.
	 * @return the values, possibly none
	 */
	synchronized double[] sortedSinceLastSample() {
		int fresh = (int) Math.min(this.size, this.count - this.sampledCount);
		this.sampledCount = this.count;
		double[] values = latest(fresh);
		Arrays.sort(values);
		return values;
	}

	/**
	 * Returns the allocated length of the ring.
	 * @return the length, at most the capacity
	 */
	synchronized int allocated() {
		return this.ring.length;
	}

	private double[] latest(int n) {
		double[] values = new double[n];
		int start = (this.next - n + this.ring.length) % this.ring.length;
		for (int i = 0; i < n; i++) {
			values[i] = this.ring[(start + i) % this.ring.length];
		}
		return values;
	}

	/**
	 * Nearest-rank percentile: the smallest kept value with at least {@code p} of the
	 * values at or below it. Always one of the recorded values, which keeps test
	 * expectations exact.
	 */
	static double percentile(double[] sorted, double p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	/**
	 * Point-in-time view of a {@link Distribution}.
	 *
	 * @param count values recorded since start or reset
	 * @param sum sum of those values
	 * @param min smallest value
	 * @param max largest value
	 * @param p50 median of the kept values
	 * @param p95 95th percentile of the kept values
	 * @param p99 99th percentile of the kept values
	 * @param recent most recent values, oldest first
	 */
	public record Snapshot(long count, double sum, double min, double max, double p50, double p95, double p99,
			double[] recent) {
	}

}
