package io.heare.stats.collector;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The totals and name counts that {@code /api/metrics} and {@code /api/history} show: the
 * {@link CollectorTotals} plus what the store and the relay's buffer dropped.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class CollectorStatus {

	private final CollectorTotals totals;

	private final MetricStore store;

	private final int maxNames;

	private final @Nullable ForwardBuffer forwardBuffer;

	/**
	 * Creates a new instance.
	 * @param totals the running totals
	 * @param store the metrics
	 * @param maxNames the store's maximum number of names
	 * @param forwardBuffer the relay's buffer, in relay mode
	 */
	public CollectorStatus(CollectorTotals totals, MetricStore store, int maxNames,
			@Nullable ForwardBuffer forwardBuffer) {
		this.totals = totals;
		this.store = store;
		this.maxNames = maxNames;
		this.forwardBuffer = forwardBuffer;
	}

	/**
	 * Returns the totals, including {@code droppedOverNameLimit}: updates refused because
	 * they named a new metric when {@code collector.max-names} names were held,
	 * {@code droppedLongNames}: updates refused because their name was longer than
	 * {@code collector.max-name-length} characters, and {@code forwardDroppedValues}:
	 * values the relay's buffer had no room for.
	 * @return the totals by name
	 */
	public Map<String, Long> totals() {
		Map<String, Long> totals = this.totals.snapshot();
		totals.put("droppedOverNameLimit", this.store.refusedUpdates());
		totals.put("droppedLongNames", this.store.refusedLongNames());
		totals.put("forwardDroppedValues", (this.forwardBuffer != null) ? this.forwardBuffer.droppedValues() : 0);
		return totals;
	}

	/**
	 * Returns how many names are held and the maximum.
	 * @return {@code held} and {@code max}
	 */
	public Map<String, Long> names() {
		Map<String, Long> names = new LinkedHashMap<>();
		names.put("held", this.store.names());
		names.put("max", (long) this.maxNames);
		return names;
	}

}
