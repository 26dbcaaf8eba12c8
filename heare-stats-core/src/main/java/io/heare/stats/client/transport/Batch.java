package io.heare.stats.client.transport;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics a transport sends in one go, already merged by PROTOCOL.md's rules: counters
 * summed per name and sample rate, gauges last-value-wins, timer and histogram values kept
 * in the order they were recorded. Names are final wire names (sanitized and prefixed).
 * <p>
 * Only the sender thread touches a batch; it is not thread-safe.
 */
public final class Batch {

	private final Map<Key, double[]> counters = new LinkedHashMap<>();

	private final Map<String, double[]> gauges = new LinkedHashMap<>();

	private final Map<Key, Values> timers = new LinkedHashMap<>();

	private final Map<Key, Values> histograms = new LinkedHashMap<>();

	private int valueCount;

	/** Adds {@code value} to the counter {@code name} recorded at {@code sampleRate}. */
	public void addCounter(String name, double sampleRate, double value) {
		double[] sum = this.counters.computeIfAbsent(new Key(name, sampleRate), (key) -> new double[1]);
		sum[0] = finiteSum(sum[0], value);
	}

	// Finite values can still add up past the largest double; neither JSON nor StatsD can
	// carry an infinity, so the sum stops at the largest finite value instead of poisoning the batch.
	private static double finiteSum(double a, double b) {
		double sum = a + b;
		return Double.isInfinite(sum) ? Math.copySign(Double.MAX_VALUE, sum) : sum;
	}

	/** Sets the gauge {@code name}. */
	public void setGauge(String name, double value) {
		double[] current = this.gauges.get(name);
		if (current == null) {
			this.gauges.put(name, new double[] { value });
		}
		else {
			current[0] = value;
		}
	}

	/** Appends timer values; returns how many fit under {@code maxValues} in the whole batch. */
	public int addTimer(String name, double sampleRate, double[] values, int count, int maxValues) {
		return addValues(this.timers, name, sampleRate, values, 0, count, maxValues);
	}

	/** Appends timer values {@code values[from, from + count)}; returns how many fit under {@code maxValues}. */
	public int addTimer(String name, double sampleRate, double[] values, int from, int count, int maxValues) {
		return addValues(this.timers, name, sampleRate, values, from, count, maxValues);
	}

	/** Appends histogram values; returns how many fit under {@code maxValues} in the whole batch. */
	public int addHistogram(String name, double sampleRate, double[] values, int count, int maxValues) {
		return addValues(this.histograms, name, sampleRate, values, 0, count, maxValues);
	}

	/** Appends histogram values {@code values[from, from + count)}; returns how many fit under {@code maxValues}. */
	public int addHistogram(String name, double sampleRate, double[] values, int from, int count, int maxValues) {
		return addValues(this.histograms, name, sampleRate, values, from, count, maxValues);
	}

	private int addValues(Map<Key, Values> target, String name, double sampleRate, double[] values, int from,
			int count, int maxValues) {
		int accepted = Math.max(0, Math.min(count, maxValues - this.valueCount));
		if (accepted > 0) {
			target.computeIfAbsent(new Key(name, sampleRate), (key) -> new Values()).append(values, from, accepted);
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

	/** Entries in the batch: one per counter and gauge, one per timer or histogram value. */
	public int size() {
		return this.counters.size() + this.gauges.size() + this.valueCount;
	}

	public void forEachCounter(CounterConsumer consumer) {
		this.counters.forEach((key, sum) -> consumer.accept(key.name, sum[0], key.sampleRate));
	}

	public void forEachGauge(GaugeConsumer consumer) {
		this.gauges.forEach((name, value) -> consumer.accept(name, value[0]));
	}

	public void forEachTimer(ValuesConsumer consumer) {
		this.timers.forEach((key, values) -> consumer.accept(key.name, values.values, values.size, key.sampleRate));
	}

	public void forEachHistogram(ValuesConsumer consumer) {
		this.histograms.forEach((key, values) -> consumer.accept(key.name, values.values, values.size, key.sampleRate));
	}

	/**
	 * Moves up to {@code maxEntries} entries (whole counters and gauges, single timer and
	 * histogram values) into a new batch, so that one request stays within a size limit.
	 * The remainder stays here, to be sent next.
	 */
	public Batch carve(int maxEntries) {
		Batch carved = new Batch();
		int room = maxEntries;
		room = moveScalars(this.counters, carved.counters, room);
		room = moveScalars(this.gauges, carved.gauges, room);
		room = moveValues(this.timers, carved.timers, carved, room);
		moveValues(this.histograms, carved.histograms, carved, room);
		return carved;
	}

	private static <K> int moveScalars(Map<K, double[]> from, Map<K, double[]> to, int room) {
		Iterator<Map.Entry<K, double[]>> entries = from.entrySet().iterator();
		while (room > 0 && entries.hasNext()) {
			Map.Entry<K, double[]> entry = entries.next();
			to.put(entry.getKey(), entry.getValue());
			entries.remove();
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
			Values head = new Values();
			head.append(values.values, 0, taken);
			to.put(entry.getKey(), head);
			values.removeFirst(taken);
			if (values.size == 0) {
				entries.remove();
			}
			this.valueCount -= taken;
			carved.valueCount += taken;
			room -= taken;
		}
		return room;
	}

	/**
	 * Merges a batch that was recorded before this one back in (a failed send being
	 * retried): counters add up, a gauge keeps this batch's newer value, older timer and
	 * histogram values go first. Values past {@code maxValues} are not kept.
	 * @return the number of timer and histogram values that did not fit
	 */
	public int absorbOlder(Batch older, int maxValues) {
		older.counters.forEach((key, sum) -> this.counters.merge(key, sum, (newer, old) -> {
			newer[0] = finiteSum(newer[0], old[0]);
			return newer;
		}));
		older.gauges.forEach(this.gauges::putIfAbsent);
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

	/** Empties the batch. */
	public void clear() {
		this.counters.clear();
		this.gauges.clear();
		this.timers.clear();
		this.histograms.clear();
		this.valueCount = 0;
	}

	@Override
	public String toString() {
		return "Batch[counters=" + this.counters.size() + ", gauges=" + this.gauges.size() + ", timers="
				+ this.timers.size() + ", histograms=" + this.histograms.size() + ", values=" + this.valueCount + "]";
	}

	/** Receives one merged counter. */
	@FunctionalInterface
	public interface CounterConsumer {

		void accept(String name, double value, double sampleRate);

	}

	/** Receives one gauge. */
	@FunctionalInterface
	public interface GaugeConsumer {

		void accept(String name, double value);

	}

	/** Receives the values of one timer or histogram; only {@code values[0..count)} are valid. */
	@FunctionalInterface
	public interface ValuesConsumer {

		void accept(String name, double[] values, int count, double sampleRate);

	}

	private record Key(String name, double sampleRate) {

		Key {
			Objects.requireNonNull(name);
		}

	}

	private static final class Values {

		private double[] values = new double[8];

		private int size;

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
