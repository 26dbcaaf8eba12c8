package io.heare.stats.client;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where recorded metrics wait for the sender: one cell per metric kind and wire name (the
 * sanitized, prefixed name, so that {@code "cpu load"} and {@code "cpu_load"} are one
 * metric), updated without locks or allocation. Cells are also found by the name the
 * caller passed, so that a known name costs one hash lookup and no sanitizing. A sample
 * rate is a property of the update, not of the name: a sampled counter update adds its
 * scaled-up value to the counter's one cell, and a sampled timer value goes to a cell of
 * that timer kept for its rate. The sender drains the cells into a {@link Batch}.
 */
final class Aggregator {

	private static final Logger logger = LoggerFactory.getLogger(Aggregator.class);

	private final String prefix;

	private final int maxNames;

	private final int maxAliases;

	private final int maxPendingValues;

	private final ClientStats stats;

	private final Cells<CounterCell> counters = new Cells<>();

	private final Cells<GaugeCell> gauges = new Cells<>();

	private final Cells<ValueCell> timers = new Cells<>();

	private final Cells<ValueCell> histograms = new Cells<>();

	// The caller's-name maps again, as fields of their own: the record path then reaches
	// a cell in one hop fewer.
	private final ConcurrentHashMap<String, CounterCell> counterByName = this.counters.byName;

	private final ConcurrentHashMap<String, GaugeCell> gaugeByName = this.gauges.byName;

	private final ConcurrentHashMap<String, ValueCell> timerByName = this.timers.byName;

	private final ConcurrentHashMap<String, ValueCell> histogramByName = this.histograms.byName;

	private final AtomicInteger names = new AtomicInteger();

	private final AtomicInteger aliases = new AtomicInteger();

	private final AtomicInteger groups = new AtomicInteger();

	private final AtomicBoolean nameLimitLogged = new AtomicBoolean();

	// Room for timer and histogram values in lane rings and cell chunks beyond their
	// small first ones: four times the pending cap (at most 4.8 MB at the default, at 12
	// bytes per ring entry), because the budget is taken by capacity, and a burst leaves
	// a chain of doubling rings or chunks until the sender retires them.
	private final ValueBudget valueBudget;

	private final ValueLanes lanes;

	public Aggregator(String prefix, int maxNames, int maxPendingValues, ClientStats stats) {
		this.prefix = prefix;
		this.maxNames = maxNames;
		// Caller's names that map to a wire name already known; past this many, such
		// names are sanitized on every call instead of being remembered.
		this.maxAliases = (int) Math.min(Integer.MAX_VALUE, 2L * maxNames);
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
		CounterCell cell = counter(name);
		if (cell != null) {
			cell.add(value);
		}
	}

	// The hot path: the recorded count comes from the drained count of ones, not an extra
	// adder.
	private void incrOne(String name) {
		if (name == null || name.isEmpty()) {
			this.stats.refused(DropReason.INVALID_NAME);
			return;
		}
		CounterCell cell = this.counterByName.get(name);
		if (cell == null && (cell = register(this.counters, name, CounterCell::new)) == null) {
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
		CounterCell cell = counter(name);
		if (cell != null) {
			// Clamped: a large value over a small rate must not become an infinity.
			cell.add(Batch.finite(value / sampleRate));
		}
	}

	/**
	 * Adds {@code value} to a bound counter: to {@code cell} when it is known, otherwise
	 * to the cell of {@code name}, registered if new.
	 * @return the counter's cell, for the handle to keep, or {@code null} (counted) when
	 * the name is invalid or over the limit of names
	 */
	CounterCell incr(CounterCell cell, String name, double value) {
		if (cell == null) {
			if (!valid(name, value) || (cell = counter(name)) == null) {
				return null;
			}
		}
		if (value == 1d) {
			cell.ones.increment();
		}
		else if (Double.isFinite(value)) {
			cell.add(value);
		}
		else {
			this.stats.refused(DropReason.INVALID_VALUE);
		}
		return cell;
	}

	private CounterCell counter(String name) {
		CounterCell cell = this.counterByName.get(name);
		return (cell != null) ? cell : register(this.counters, name, CounterCell::new);
	}

	public void gauge(String name, double value) {
		if (!valid(name, value)) {
			return;
		}
		GaugeCell cell = this.gaugeByName.get(name);
		if (cell == null && (cell = register(this.gauges, name, GaugeCell::new)) == null) {
			return;
		}
		cell.set(value);
	}

	public void time(String name, double millis) {
		append(null, name, false, millis);
	}

	public void time(String name, double millis, double sampleRate) {
		if (sampleRate >= 1d || !(sampleRate > 0d)) {
			time(name, millis);
			return;
		}
		if (!valid(name, millis) || !sampledIn(sampleRate)) {
			return;
		}
		ValueCell timer = this.timerByName.get(name);
		if (timer == null && (timer = register(this.timers, name, this::newTimerCell)) == null) {
			return;
		}
		String wireName = timer.wireName;
		ValueCell cell = timer.rated(sampleRate,
				(rate) -> registered(new ValueCell(wireName, rate, false, this.valueBudget)));
		if (cell == null) {
			this.stats.refused(DropReason.NAME_LIMIT);
			return;
		}
		append(cell, millis);
	}

	public void hist(String name, double value) {
		append(null, name, true, value);
	}

	/**
	 * Appends a timer or histogram value, on the calling thread's lane when it has one:
	 * to {@code cell} when it is known (a bound timer's), otherwise to the cell of
	 * {@code name}, registered if new. Appended values are counted as recorded when the
	 * sender drains them.
	 * @return the cell, for a handle to keep, or {@code null} when it is still unknown
	 */
	ValueCell append(ValueCell cell, String name, boolean histogram, double value) {
		ValueLanes.Lane lane = this.lanes.laneOf(Thread.currentThread());
		if (lane != null && this.lanes.saturated(lane)) {
			// The value would not fit: it is counted as dropped without its name being
			// looked up (a name not seen before is not registered either), which keeps
			// the record path cheapest when the service cannot keep up. Invalid input is
			// still counted as such.
			if (valid(name, value)) {
				lane.drop();
			}
			return cell;
		}
		if (cell == null) {
			if (!valid(name, value)) {
				return null;
			}
			ConcurrentHashMap<String, ValueCell> byName = histogram ? this.histogramByName : this.timerByName;
			cell = byName.get(name);
			if (cell == null && (cell = register(histogram ? this.histograms : this.timers, name,
					histogram ? this::newHistogramCell : this::newTimerCell)) == null) {
				return null;
			}
		}
		else if (!Double.isFinite(value)) {
			this.stats.refused(DropReason.INVALID_VALUE);
			return cell;
		}
		offer(lane, cell, value);
		return cell;
	}

	/**
	 * The lane cell of a group of metrics whose cells are known, or {@code null} when the
	 * client already has as many groups as it has room for names.
	 */
	ValueCell groupCell(CounterCell[] counters, ValueCell[] values) {
		if (this.groups.incrementAndGet() > this.maxNames) {
			this.groups.decrementAndGet();
			return null;
		}
		return registered(new ValueCell(new ValueGroup(counters, values), this.valueBudget));
	}

	/**
	 * Records {@code value} into every metric of a group: one lane entry when the calling
	 * thread's lane takes it, otherwise each metric on its own (counters exactly, values
	 * dropped and counted as any value would be).
	 * @param groupCell the group's cell
	 * @param id the group's cell's id, which the caller keeps beside the cell
	 * @param value the value
	 */
	void record(ValueCell groupCell, int id, double value) {
		if (Double.isFinite(value)) {
			ValueLanes.Lane lane = this.lanes.laneOf(Thread.currentThread());
			if (lane != null && !this.lanes.saturated(lane) && lane.tryOffer(id, value)) {
				return;
			}
		}
		ValueGroup group = groupCell.group;
		for (CounterCell counter : group.counters) {
			counter.ones.increment();
		}
		for (ValueCell cell : group.values) {
			append(cell, cell.wireName, cell.histogram, value);
		}
	}

	private void offer(ValueLanes.Lane lane, ValueCell cell, double value) {
		if (lane != null) {
			lane.offer(cell.id, value);
		}
		else if (!cell.add(value)) {
			this.stats.refused(DropReason.VALUE_LIMIT);
		}
	}

	// The same for sampled timer values, whose cells are found through their timer's.
	private void append(ValueCell cell, double value) {
		if (!this.lanes.offer(cell, value) && !cell.add(value)) {
			this.stats.refused(DropReason.VALUE_LIMIT);
		}
	}

	private boolean valid(String name, double value) {
		if (name == null || name.isEmpty()) {
			this.stats.refused(DropReason.INVALID_NAME);
			return false;
		}
		if (!Double.isFinite(value)) {
			this.stats.refused(DropReason.INVALID_VALUE);
			return false;
		}
		return true;
	}

	private static boolean sampledIn(double sampleRate) {
		return ThreadLocalRandom.current().nextDouble() < sampleRate;
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

	// The cell for the wire name of a caller's name not seen before, created if that wire
	// name is new too; null (and counted) when the name is invalid or the name cap is
	// reached.
	private <C> C register(Cells<C> cells, String name, Function<String, C> factory) {
		String qualified = MetricNames.qualify(this.prefix, name);
		if (qualified == null) {
			this.stats.refused(DropReason.INVALID_NAME);
			return null;
		}
		String wireName = MetricNames.limit(qualified);
		C cell = cells.byWire.get(wireName);
		if (cell == null) {
			if (this.names.incrementAndGet() > this.maxNames) {
				this.names.decrementAndGet();
				this.stats.refused(DropReason.NAME_LIMIT);
				if (this.nameLimitLogged.compareAndSet(false, true)) {
					logger.warn(
							"Metric name limit of {} reached: updates to new names such as '{}' are dropped and "
									+ "counted; raise maxNames if the service really has this many metrics",
							this.maxNames, wireName);
				}
				return null;
			}
			C created = factory.apply(wireName);
			C existing = cells.byWire.putIfAbsent(wireName, created);
			if (existing != null) {
				this.names.decrementAndGet();
				cell = existing;
			}
			else {
				cell = created;
				if (wireName.length() < qualified.length()) {
					this.stats.truncatedName();
				}
			}
		}
		if (this.aliases.incrementAndGet() > this.maxAliases || cells.byName.putIfAbsent(name, cell) != null) {
			this.aliases.decrementAndGet();
		}
		return cell;
	}

	/**
	 * Moves everything recorded so far into {@code batch}, counting it as recorded.
	 * Sender thread only.
	 * @return the number of updates taken
	 */
	public long drainTo(Batch batch) {
		long before = batch.updates();
		ValueLanes.GroupConsumer values = (cell, array, from, count) -> {
			ValueGroup group = cell.group;
			if (group == null) {
				addValues(batch, cell, array, from, count);
				return;
			}
			for (ValueCell target : group.values) {
				addValues(batch, target, array, from, count);
			}
			for (CounterCell counter : group.counters) {
				this.stats.recorded(count);
				batch.addCounter(counter.wireName, count, count);
			}
		};
		// A batch waiting on a failing service may already be full: then values are not
		// even read.
		int room = Math.max(0, this.maxPendingValues - batch.valueCount());
		ValueLanes.Drained fromLanes = this.lanes.drain(room, values);
		// Values over the cap were taken from the lanes unread, and values a full ring
		// could not take were never stored: both are recorded, then dropped.
		this.stats.refused(DropReason.VALUE_LIMIT, fromLanes.skipped() + fromLanes.dropped());
		// Counters after the lanes: a group's entry skipped over the cap still counts, in
		// its counters' cells.
		for (CounterCell cell : this.counters.byWire.values()) {
			drainCounter(cell, batch);
		}
		for (GaugeCell cell : this.gauges.byWire.values()) {
			long updates = cell.takeUpdates();
			if (updates > 0) {
				this.stats.recorded(updates);
				batch.setGauge(cell.wireName, cell.takeValue(), updates);
			}
		}
		long abandoned = 0;
		for (ValueCell cell : this.timers.byWire.values()) {
			abandoned += cell.drain(values);
			for (ValueCell rated : cell.rated()) {
				abandoned += rated.drain(values);
			}
		}
		for (ValueCell cell : this.histograms.byWire.values()) {
			abandoned += cell.drain(values);
		}
		this.stats.refused(DropReason.UNPUBLISHED, abandoned);
		return batch.updates() - before;
	}

	private void addValues(Batch batch, ValueCell cell, double[] array, int from, int count) {
		this.stats.recorded(count);
		int accepted = cell.histogram
				? batch.addHistogram(cell.wireName, cell.sampleRate, array, from, count, this.maxPendingValues)
				: batch.addTimer(cell.wireName, cell.sampleRate, array, from, count, this.maxPendingValues);
		this.stats.dropped(DropReason.VALUE_LIMIT, count - accepted);
	}

	private void drainCounter(CounterCell cell, Batch batch) {
		long ones = cell.ones.sumThenReset();
		long adds = cell.adds.sumThenReset();
		if (ones == 0 && adds == 0) {
			return;
		}
		double sum = ones;
		if (adds > 0) {
			sum += cell.sum.sumThenReset();
		}
		this.stats.recorded(ones + adds);
		batch.addCounter(cell.wireName, sum, ones + adds);
	}

	/**
	 * The cell of the timer or histogram {@code name}, or {@code null} when nothing was
	 * recorded under it. Tests only.
	 */
	ValueCell valueCell(String name, boolean histogram) {
		return (histogram ? this.histogramByName : this.timerByName).get(name);
	}

	/** The drains of the lanes so far. Tests only. */
	long drains() {
		return this.lanes.drains();
	}

	/** The number of callers' names remembered for counters. Tests only. */
	int rememberedCounterNames() {
		return this.counterByName.size();
	}

	/** The cells of one kind, by wire name and by the names callers pass. */
	private static final class Cells<C> {

		final ConcurrentHashMap<String, C> byName = new ConcurrentHashMap<>();

		final ConcurrentHashMap<String, C> byWire = new ConcurrentHashMap<>();

	}

}
