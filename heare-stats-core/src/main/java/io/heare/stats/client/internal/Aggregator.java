package io.heare.stats.client.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.MetricNames;
import io.heare.stats.client.transport.Batch;

/**
 * Where recorded metrics wait for the sender: one cell per metric, found by the name the
 * caller passed (so a known name costs one hash lookup and no sanitizing), updated without
 * locks or allocation. The sender drains the cells into a {@link Batch}.
 */
public final class Aggregator {

	private static final Logger logger = LoggerFactory.getLogger(Aggregator.class);

	private final String prefix;

	private final int maxNames;

	private final int maxPendingValues;

	private final ClientStats stats;

	private final Map<String, CounterCell> counters = new ConcurrentHashMap<>();

	private final Map<SampledName, CounterCell> sampledCounters = new ConcurrentHashMap<>();

	private final Map<String, GaugeCell> gauges = new ConcurrentHashMap<>();

	private final Map<String, ValueCell> timers = new ConcurrentHashMap<>();

	private final Map<SampledName, ValueCell> sampledTimers = new ConcurrentHashMap<>();

	private final Map<String, ValueCell> histograms = new ConcurrentHashMap<>();

	private final AtomicInteger names = new AtomicInteger();

	private final AtomicBoolean nameLimitLogged = new AtomicBoolean();

	// Room for timer and histogram values in lane rings and cell chunks beyond their small first
	// ones: four times the pending cap (at most 4.8 MB at the default, at 12 bytes per ring
	// entry), because the budget is taken by capacity, and a burst leaves a chain of doubling
	// rings or chunks until the sender retires them.
	private final ValueBudget valueBudget;

	private final ValueLanes lanes;

	public Aggregator(String prefix, int maxNames, int maxPendingValues, ClientStats stats) {
		this.prefix = prefix;
		this.maxNames = maxNames;
		this.maxPendingValues = maxPendingValues;
		this.stats = stats;
		this.valueBudget = new ValueBudget(4L * maxPendingValues);
		this.lanes = new ValueLanes(this.valueBudget);
	}

	public void incr(String name, double value) {
		if (value == 1d) {
			incrOne(name);
			return;
		}
		if (!valid(name, value)) {
			return;
		}
		CounterCell cell = this.counters.get(name);
		if (cell == null && (cell = newCounter(name)) == null) {
			return;
		}
		cell.add(value);
		this.stats.recorded();
	}

	// The hot path: the recorded count comes from the drained count of ones, not an extra adder.
	private void incrOne(String name) {
		if (name == null || name.isEmpty()) {
			this.stats.dropped(DropReason.INVALID_NAME);
			return;
		}
		CounterCell cell = this.counters.get(name);
		if (cell == null && (cell = newCounter(name)) == null) {
			return;
		}
		cell.ones.increment();
	}

	public void incr(String name, double value, double sampleRate) {
		if (sampleRate >= 1d || !(sampleRate > 0d)) {
			incr(name, value);
			return;
		}
		if (!valid(name, value) || !sampledIn(sampleRate)) {
			return;
		}
		SampledName key = new SampledName(name, sampleRate);
		CounterCell cell = this.sampledCounters.get(key);
		if (cell == null && (cell = register(this.sampledCounters, key, name,
				(wire) -> new CounterCell(wire, sampleRate))) == null) {
			return;
		}
		cell.add(value);
		this.stats.recorded();
	}

	public void gauge(String name, double value) {
		if (!valid(name, value)) {
			return;
		}
		GaugeCell cell = this.gauges.get(name);
		if (cell == null && (cell = register(this.gauges, name, name, GaugeCell::new)) == null) {
			return;
		}
		cell.set(value);
		this.stats.recorded();
	}

	public void time(String name, double millis) {
		appendOnLane(this.timers, false, name, millis);
	}

	public void time(String name, double millis, double sampleRate) {
		if (sampleRate >= 1d || !(sampleRate > 0d)) {
			time(name, millis);
			return;
		}
		if (!valid(name, millis) || !sampledIn(sampleRate)) {
			return;
		}
		SampledName key = new SampledName(name, sampleRate);
		ValueCell cell = this.sampledTimers.get(key);
		if (cell == null && (cell = register(this.sampledTimers, key, name,
				(wire) -> registered(new ValueCell(wire, sampleRate, false, this.valueBudget)))) == null) {
			return;
		}
		append(cell, millis);
	}

	public void hist(String name, double value) {
		appendOnLane(this.histograms, true, name, value);
	}

	// Timer and histogram values, on the calling thread's lane when it has one. Appended values
	// are counted as recorded when the sender drains them.
	private void appendOnLane(Map<String, ValueCell> cells, boolean histogram, String name, double value) {
		ValueLanes.Lane lane = this.lanes.laneOf(Thread.currentThread());
		if (lane != null && this.lanes.saturated(lane)) {
			// The value would not fit: it is counted as dropped without its name being looked up
			// (a name not seen before is not registered either), which keeps the record path
			// cheapest when the service cannot keep up. Invalid input is still counted as such.
			if (valid(name, value)) {
				lane.drop();
			}
			return;
		}
		if (!valid(name, value)) {
			return;
		}
		ValueCell cell = cells.get(name);
		if (cell == null && (cell = register(cells, name, name,
				histogram ? this::newHistogramCell : this::newTimerCell)) == null) {
			return;
		}
		if (lane != null) {
			lane.offer(cell.id, value);
		}
		else if (!cell.add(value)) {
			this.stats.dropped(DropReason.VALUE_LIMIT);
		}
	}

	// The same for sampled timers, whose cells are not found by name alone.
	private void append(ValueCell cell, double value) {
		if (!this.lanes.offer(cell, value) && !cell.add(value)) {
			this.stats.dropped(DropReason.VALUE_LIMIT);
		}
	}

	private boolean valid(String name, double value) {
		if (name == null || name.isEmpty()) {
			this.stats.dropped(DropReason.INVALID_NAME);
			return false;
		}
		if (!Double.isFinite(value)) {
			this.stats.dropped(DropReason.INVALID_VALUE);
			return false;
		}
		return true;
	}

	private static boolean sampledIn(double sampleRate) {
		return java.util.concurrent.ThreadLocalRandom.current().nextDouble() < sampleRate;
	}

	private CounterCell newCounter(String name) {
		return register(this.counters, name, name, (wire) -> new CounterCell(wire, 1d));
	}

	private ValueCell newTimerCell(String wireName) {
		return registered(new ValueCell(wireName, 1d, false, this.valueBudget));
	}

	private ValueCell newHistogramCell(String wireName) {
		return registered(new ValueCell(wireName, 1d, true, this.valueBudget));
	}

	private ValueCell registered(ValueCell cell) {
		this.lanes.register(cell);
		return cell;
	}

	private <K, C> C register(Map<K, C> cells, K key, String name, java.util.function.Function<String, C> factory) {
		String wireName = MetricNames.qualify(this.prefix, name);
		if (wireName == null) {
			this.stats.dropped(DropReason.INVALID_NAME);
			return null;
		}
		if (this.names.incrementAndGet() > this.maxNames) {
			this.names.decrementAndGet();
			this.stats.dropped(DropReason.NAME_LIMIT);
			if (this.nameLimitLogged.compareAndSet(false, true)) {
				logger.warn("Metric name limit of {} reached: updates to new names such as '{}' are dropped and "
						+ "counted; raise maxNames if the service really has this many metrics", this.maxNames,
						wireName);
			}
			return null;
		}
		C created = factory.apply(wireName);
		C existing = ((ConcurrentHashMap<K, C>) cells).putIfAbsent(key, created);
		if (existing != null) {
			this.names.decrementAndGet();
			return existing;
		}
		return created;
	}

	/**
	 * Moves everything recorded so far into {@code batch}. Sender thread only.
	 * @return the number of updates taken (merged counters count once)
	 */
	public int drainTo(Batch batch) {
		int[] taken = new int[1];
		for (CounterCell cell : this.counters.values()) {
			taken[0] += drainCounter(cell, batch);
		}
		for (CounterCell cell : this.sampledCounters.values()) {
			taken[0] += drainCounter(cell, batch);
		}
		for (GaugeCell cell : this.gauges.values()) {
			double value = cell.take();
			if (!Double.isNaN(value)) {
				batch.setGauge(cell.wireName, value);
				taken[0]++;
			}
		}
		ValueLanes.GroupConsumer values = (cell, array, from, count) -> {
			this.stats.recorded(count);
			int accepted = cell.histogram
					? batch.addHistogram(cell.wireName, cell.sampleRate, array, from, count, this.maxPendingValues)
					: batch.addTimer(cell.wireName, cell.sampleRate, array, from, count, this.maxPendingValues);
			this.stats.dropped(DropReason.VALUE_LIMIT, count - accepted);
			taken[0] += accepted;
		};
		// A batch waiting on a failing service may already be full: then values are not even read.
		int room = Math.max(0, this.maxPendingValues - batch.valueCount());
		ValueLanes.Drained fromLanes = this.lanes.drain(room, values);
		// Values over the cap were taken from the lanes unread: recorded, then dropped like any
		// other value the batch had no room for.
		this.stats.recorded(fromLanes.skipped());
		this.stats.dropped(DropReason.VALUE_LIMIT, fromLanes.skipped() + fromLanes.dropped());
		for (ValueCell cell : this.timers.values()) {
			cell.drain(values);
		}
		for (ValueCell cell : this.sampledTimers.values()) {
			cell.drain(values);
		}
		for (ValueCell cell : this.histograms.values()) {
			cell.drain(values);
		}
		return taken[0];
	}

	private int drainCounter(CounterCell cell, Batch batch) {
		long ones = cell.ones.sumThenReset();
		double sum = 0d;
		if (cell.touched) {
			cell.touched = false;
			sum = cell.sum.sumThenReset();
		}
		else if (ones == 0) {
			return 0;
		}
		this.stats.recorded(ones);
		sum += ones;
		batch.addCounter(cell.wireName, cell.sampleRate, sum);
		return 1;
	}

	private record SampledName(String name, double sampleRate) {
	}

}
