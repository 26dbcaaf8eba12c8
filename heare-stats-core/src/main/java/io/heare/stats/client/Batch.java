package io.heare.stats.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics a transport sends in one go, already merged as the wire formats ask:
 * counters summed per name (a sampled update already scaled up by its rate), gauges last
 * value wins, timer and histogram values kept in the order they were recorded, per name
 * and sample rate. Names are final wire names (sanitized and prefixed).
 * <p>
 * A batch also knows how many recorded updates each entry stands for (a counter merged
 * from 500 increments stands for 500, a gauge for every value set since the last batch),
 * so that what is delivered or dropped is counted in updates, the unit the caller records
 * in.
 * <p>
 * Only the sender thread touches a batch; it is not thread-safe. A batch that was sent is
 * {@linkplain #clear() cleared} and filled again, and keeps the arrays that held its
 * timer and histogram values for that, so that a steady stream of values costs no
 * allocation once the arrays have grown.
 */
final class Batch {

	// Value arrays kept by clear() for the entries of the next fill: at most this many,
	// holding at most this many values in all (512 KB: a linger's values at some 20,000
	// requests a second), so that a burst leaves no larger arrays behind.
	static final int MAX_SPARE_VALUES = 64;

	static final int MAX_SPARE_CAPACITY = 64 * 1024;

	// {sum, updates}
	private final Map<String, double[]> counters = new LinkedHashMap<>();

	// {value, updates}
	private final Map<String, double[]> gauges = new LinkedHashMap<>();

	private final Map<Key, Values> timers = new LinkedHashMap<>();

	private final Map<Key, Values> histograms = new LinkedHashMap<>();

	// Each remembers the entry it last held, so that a name that recurs from one fill to
	// the next gets back the array that has grown to its size.
	private final ArrayList<Values> spareValues = new ArrayList<>();

	private int spareCapacity;

	private int valueCount;

	private long scalarUpdates;

	/**
	 * Adds {@code value} to the counter {@code name}.
	 * @param updates the recorded updates {@code value} sums up
	 */
	public void addCounter(String name, double value, long updates) {
		double[] sum = this.counters.computeIfAbsent(name, (key) -> new double[2]);
		sum[0] = finiteSum(sum[0], finite(value));
		sum[1] += updates;
		this.scalarUpdates += updates;
	}

	/** Adds one update of {@code value} to the counter {@code name}. */
	public void addCounter(String name, double value) {
		addCounter(name, value, 1);
	}

	/**
	 * {@code value}, or the largest finite value of its sign when it is infinite: neither
	 * JSON nor StatsD can carry an infinity, and one entry must not make a whole request
	 * invalid.
	 */
	public static double finite(double value) {
		return Double.isInfinite(value) ? Math.copySign(Double.MAX_VALUE, value) : value;
	}

	// Finite values can still add up past the largest double.
	private static double finiteSum(double a, double b) {
		return finite(a + b);
	}

	/**
	 * Sets the gauge {@code name}.
	 * @param updates the recorded updates this value stands for (the values it superseded
	 * are delivered with it)
	 */
	public void setGauge(String name, double value, long updates) {
		double[] current = this.gauges.get(name);
		if (current == null) {
			this.gauges.put(name, new double[] { value, updates });
		}
		else {
			current[0] = value;
			current[1] += updates;
		}
		this.scalarUpdates += updates;
	}

	/** Sets the gauge {@code name}, one update. */
	public void setGauge(String name, double value) {
		setGauge(name, value, 1);
	}

	/**
	 * Appends timer values; returns how many fit under {@code maxValues} in the whole
	 * batch.
	 */
	public int addTimer(String name, double sampleRate, double[] values, int count, int maxValues) {
		return addValues(this.timers, name, sampleRate, values, 0, count, maxValues);
	}

	/**
	 * Appends histogram values; returns how many fit under {@code maxValues} in the whole
	 * batch.
	 */
	public int addHistogram(String name, double sampleRate, double[] values, int count, int maxValues) {
		return addValues(this.histograms, name, sampleRate, values, 0, count, maxValues);
	}

	/**
	 * Appends timer values {@code values[from, from + count)}; returns how many fit under
	 * {@code maxValues}.
	 */
	public int addTimer(String name, double sampleRate, double[] values, int from, int count, int maxValues) {
		return addValues(this.timers, name, sampleRate, values, from, count, maxValues);
	}

	/**
	 * Appends histogram values {@code values[from, from + count)}; returns how many fit
	 * under {@code maxValues}.
	 */
	public int addHistogram(String name, double sampleRate, double[] values, int from, int count, int maxValues) {
		return addValues(this.histograms, name, sampleRate, values, from, count, maxValues);
	}

	private int addValues(Map<Key, Values> target, String name, double sampleRate, double[] values, int from, int count,
			int maxValues) {
		int accepted = Math.max(0, Math.min(count, maxValues - this.valueCount));
		if (accepted > 0) {
			Key key = new Key(name, sampleRate);
			Values entry = target.get(key);
			if (entry == null) {
				entry = takeSpare(key, accepted);
				target.put(key, entry);
			}
			entry.append(values, from, accepted);
			this.valueCount += accepted;
		}
		return accepted;
	}

	/** Whether there is nothing to send. */
	public boolean isEmpty() {
		return this.counters.isEmpty() && this.gauges.isEmpty() && this.timers.isEmpty() && this.histograms.isEmpty();
	}

	/** Timer and histogram values in the batch. */
	public int valueCount() {
		return this.valueCount;
	}

	/**
	 * Entries in the batch: one per counter and gauge, one per timer or histogram value.
	 */
	public int size() {
		return this.counters.size() + this.gauges.size() + this.valueCount;
	}

	/** The recorded updates the entries stand for. */
	public long updates() {
		return this.scalarUpdates + this.valueCount;
	}

	public void forEachCounter(ScalarConsumer consumer) {
		this.counters.forEach((name, sum) -> consumer.accept(name, sum[0], (long) sum[1]));
	}

	public void forEachGauge(ScalarConsumer consumer) {
		this.gauges.forEach((name, value) -> consumer.accept(name, value[0], (long) value[1]));
	}

	public void forEachTimer(ValuesConsumer consumer) {
		this.timers.forEach((key, values) -> consumer.accept(key.name, values.values, values.size, key.sampleRate));
	}

	public void forEachHistogram(ValuesConsumer consumer) {
		this.histograms.forEach((key, values) -> consumer.accept(key.name, values.values, values.size, key.sampleRate));
	}

	/**
	 * Moves up to {@code maxEntries} entries (whole counters and gauges, single timer and
	 * histogram values, the oldest first) into a new batch, so that one request stays
	 * within a size limit. The remainder stays here, to be sent next.
	 */
	public Batch carve(int maxEntries) {
		Batch carved = new Batch();
		int room = maxEntries;
		room = moveScalars(this.counters, carved.counters, carved, room);
		room = moveScalars(this.gauges, carved.gauges, carved, room);
		room = moveValues(this.timers, carved.timers, carved, room);
		moveValues(this.histograms, carved.histograms, carved, room);
		return carved;
	}

	private int moveScalars(Map<String, double[]> from, Map<String, double[]> to, Batch carved, int room) {
		Iterator<Map.Entry<String, double[]>> entries = from.entrySet().iterator();
		while (room > 0 && entries.hasNext()) {
			Map.Entry<String, double[]> entry = entries.next();
			long updates = (long) entry.getValue()[1];
			to.put(entry.getKey(), entry.getValue());
			entries.remove();
			this.scalarUpdates -= updates;
			carved.scalarUpdates += updates;
			room--;
		}
		return room;
	}

	private int moveValues(Map<Key, Values> from, Map<Key, Values> to, Batch carved, int room) {
		Iterator<Map.Entry<Key, Values>> entries = from.entrySet().iterator();
		while (room > 0 && entries.hasNext()) {
			Map.Entry<Key, Values> entry = entries.next();
			Values values = entry.getValue();
			int taken = Math.min(room, values.size);
			if (taken == values.size) {
				to.put(entry.getKey(), values);
				entries.remove();
			}
			else {
				Values head = takeSpare(entry.getKey(), taken);
				head.append(values.values, 0, taken);
				to.put(entry.getKey(), head);
				values.removeFirst(taken);
			}
			this.valueCount -= taken;
			carved.valueCount += taken;
			room -= taken;
		}
		return room;
	}

	/**
	 * Merges a batch that was recorded before this one back in (a failed send being
	 * retried): counters add up, a gauge keeps this batch's newer value (and the older
	 * one's updates), older timer and histogram values go first. Values past
	 * {@code maxValues} are not kept.
	 * @return the number of timer and histogram values that did not fit
	 */
	public int absorbOlder(Batch older, int maxValues) {
		older.counters.forEach((name, sum) -> {
			double[] newer = this.counters.get(name);
			if (newer == null) {
				this.counters.put(name, sum);
			}
			else {
				newer[0] = finiteSum(newer[0], sum[0]);
				newer[1] += sum[1];
			}
		});
		older.gauges.forEach((name, value) -> {
			double[] newer = this.gauges.get(name);
			if (newer == null) {
				this.gauges.put(name, value);
			}
			else {
				newer[1] += value[1];
			}
		});
		this.scalarUpdates += older.scalarUpdates;
		int dropped = prependValues(older.timers, this.timers, maxValues);
		dropped += prependValues(older.histograms, this.histograms, maxValues);
		return dropped;
	}

	private int prependValues(Map<Key, Values> older, Map<Key, Values> target, int maxValues) {
		int dropped = 0;
		for (Map.Entry<Key, Values> entry : older.entrySet()) {
			Values old = entry.getValue();
			int accepted = Math.max(0, Math.min(old.size, maxValues - this.valueCount));
			dropped += old.size - accepted;
			if (accepted == 0) {
				continue;
			}
			Values newer = target.get(entry.getKey());
			Values merged = new Values();
			merged.append(old.values, 0, accepted);
			if (newer != null) {
				merged.append(newer.values, 0, newer.size);
			}
			target.put(entry.getKey(), merged);
			this.valueCount += accepted;
		}
		return dropped;
	}

	/**
	 * Empties the batch, keeping arrays of its timer and histogram values for the next
	 * fill.
	 */
	public void clear() {
		keepSpare(this.timers);
		keepSpare(this.histograms);
		empty();
	}

	/**
	 * Empties {@code part}, a batch {@linkplain #carve(int) carved} from this one whose
	 * send is settled, keeping its arrays of timer and histogram values for this batch's
	 * next fill.
	 */
	public void reclaim(Batch part) {
		keepSpare(part.timers);
		keepSpare(part.histograms);
		part.empty();
	}

	private void empty() {
		this.counters.clear();
		this.gauges.clear();
		this.timers.clear();
		this.histograms.clear();
		this.valueCount = 0;
		this.scalarUpdates = 0;
	}

	private void keepSpare(Map<Key, Values> entries) {
		for (Map.Entry<Key, Values> entry : entries.entrySet()) {
			if (this.spareValues.size() >= MAX_SPARE_VALUES) {
				return;
			}
			Values values = entry.getValue();
			if (this.spareCapacity + values.values.length <= MAX_SPARE_CAPACITY) {
				values.size = 0;
				values.lastKey = entry.getKey();
				this.spareValues.add(values);
				this.spareCapacity += values.values.length;
			}
		}
	}

	// The largest array the entry held in the previous fill (a part carved from it may
	// have held another), else the smallest kept array that holds {@code count} values,
	// else a new one.
	private Values takeSpare(Key key, int count) {
		int held = -1;
		int fits = -1;
		for (int i = 0; i < this.spareValues.size(); i++) {
			Values spare = this.spareValues.get(i);
			int capacity = spare.values.length;
			if (key.equals(spare.lastKey)) {
				if (held < 0 || capacity > this.spareValues.get(held).values.length) {
					held = i;
				}
			}
			else if (capacity >= count && (fits < 0 || capacity < this.spareValues.get(fits).values.length)) {
				fits = i;
			}
		}
		int chosen = (held >= 0) ? held : fits;
		if (chosen < 0) {
			return new Values(count);
		}
		int last = this.spareValues.size() - 1;
		Values spare = this.spareValues.get(chosen);
		this.spareValues.set(chosen, this.spareValues.get(last));
		this.spareValues.remove(last);
		this.spareCapacity -= spare.values.length;
		spare.lastKey = null;
		return spare;
	}

	/** Value arrays kept for the next fill. Tests only. */
	int spareValues() {
		return this.spareValues.size();
	}

	@Override
	public String toString() {
		return "Batch[counters=" + this.counters.size() + ", gauges=" + this.gauges.size() + ", timers="
				+ this.timers.size() + ", histograms=" + this.histograms.size() + ", values=" + this.valueCount
				+ ", updates=" + updates() + "]";
	}

	/** Receives one merged counter or one gauge. */
	@FunctionalInterface
	public interface ScalarConsumer {

		/**
		 * @param name the wire name
		 * @param value the counter's sum or the gauge's value
		 * @param updates the recorded updates it stands for
		 */
		void accept(String name, double value, long updates);

	}

	/**
	 * Receives the values of one timer or histogram recorded at one sample rate; only
	 * {@code values[0..count)} are valid, and each is one update.
	 */
	@FunctionalInterface
	public interface ValuesConsumer {

		void accept(String name, double[] values, int count, double sampleRate);

	}

	private record Key(String name, double sampleRate) {

		Key {
			Objects.requireNonNull(name);
		}

		// Written out: the generated ones go through method handles, which the sender,
		// running a few times a second, does not call often enough to have compiled.
		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && this.name.equals(key.name)
					&& Double.doubleToLongBits(this.sampleRate) == Double.doubleToLongBits(key.sampleRate);
		}

		@Override
		public int hashCode() {
			return 31 * this.name.hashCode() + Double.hashCode(this.sampleRate);
		}

	}

	private static final class Values {

		private double[] values;

		private int size;

		// While kept as a spare: the entry it held.
		private Key lastKey;

		Values() {
			this(8);
		}

		Values(int capacity) {
			this.values = new double[Math.max(8, capacity)];
		}

		void append(double[] source, int from, int count) {
			if (this.size + count > this.values.length) {
				this.values = Arrays.copyOf(this.values, Math.max(this.size + count, this.values.length * 2));
			}
			System.arraycopy(source, from, this.values, this.size, count);
			this.size += count;
		}

		void removeFirst(int count) {
			System.arraycopy(this.values, count, this.values, 0, this.size - count);
			this.size -= count;
		}

	}

}
