package io.heare.stats.collector;

import java.util.Arrays;

/**
 * The values of one timer or histogram: count, sum, min and max over every value ever
 * recorded, plus a ring buffer of the most recent values from which percentiles are
 * computed. The ring keeps memory bounded however long the collector runs.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class Distribution {

	/** How many recent values the snapshot carries for the dashboard chart. */
	static final int RECENT = 60;

	private final double[] ring;

	private int next;

	private int size;

	private long count;

	private double sum;

	private double min = Double.POSITIVE_INFINITY;

	private double max = Double.NEGATIVE_INFINITY;

	/**
	 * Creates an empty distribution.
	 * @param capacity how many recent values to keep for percentiles
	 */
	public Distribution(int capacity) {
		this.ring = new double[Math.max(1, capacity)];
	}

	/**
	 * Records one value.
	 * @param value the value
	 */
	public synchronized void record(double value) {
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
		double[] kept = new double[this.size];
		int start = (this.next - this.size + this.ring.length) % this.ring.length;
		for (int i = 0; i < this.size; i++) {
			kept[i] = this.ring[(start + i) % this.ring.length];
		}
		double[] recent = Arrays.copyOfRange(kept, Math.max(0, kept.length - RECENT), kept.length);
		Arrays.sort(kept);
		return new Snapshot(this.count, this.sum, this.min, this.max, percentile(kept, 0.50),
				percentile(kept, 0.95), percentile(kept, 0.99), recent);
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
