package io.heare.stats.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.MetricNames;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Telemetry;

/**
 * A {@link StatsClient} that sends nothing and keeps every update in memory, for tests:
 * counters are summed, gauges keep their last value, and timer and histogram values are
 * kept in the order they were recorded.
 * <p>
 * Names go through the rule every network client applies ({@link MetricNames#qualify}):
 * the prefix is joined with a dot and each character outside {@code [A-Za-z0-9_.-]}
 * becomes {@code _}, and a name longer than {@value MetricNames#MAX_LENGTH} characters
 * (prefix included) is cut to that length ({@link MetricNames#limit}) and counted in
 * {@link Telemetry#truncatedNames()}, so a test sees the names the wire would carry.
 * Updates a network client would drop (a name that is empty after sanitizing, a NaN or
 * infinite value, an update after {@link #close()}) are dropped here too and counted in
 * {@link #telemetry()}. Sampled updates are all kept, at their value, so that what a test
 * records is what it sees.
 * <p>
 * A {@link #pipeline() pipeline} hands its entries over in one piece when it is closed,
 * as a network client's does. Every method is thread-safe. Use
 * {@link StatsAssert#assertThat(StatsClient)} to assert what was recorded: its assertions
 * wait briefly for updates that are still on their way (from a request whose response
 * reached the test before the server recorded it, for example).
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class InMemoryStatsClient implements StatsClient {

	private final String prefix;

	private final Object lock = new Object();

	private final Map<String, Double> counters = new HashMap<>();

	private final Map<String, Double> gauges = new HashMap<>();

	private final Map<String, List<Double>> timers = new HashMap<>();

	private final Map<String, List<Double>> histograms = new HashMap<>();

	private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);

	private long recorded;

	private long pipelines;

	private long truncatedNames;

	private boolean closed;

	/**
	 * Creates a client without a prefix.
	 */
	public InMemoryStatsClient() {
		this(null);
	}

	/**
	 * Creates a client that joins {@code prefix} in front of every name, as a network
	 * client configured with that prefix does.
	 * @param prefix the prefix, or {@code null} (or blank) for none
	 */
	public InMemoryStatsClient(String prefix) {
		this.prefix = prefix;
		for (DropReason reason : DropReason.values()) {
			this.dropped.put(reason, 0L);
		}
	}

	@Override
	public void incr(String name, double value) {
		record(MetricKind.COUNTER, name, value);
	}

	@Override
	public void incr(String name, double value, double sampleRate) {
		record(MetricKind.COUNTER, name, value);
	}

	@Override
	public void time(String name, double millis) {
		record(MetricKind.TIMER, name, millis);
	}

	@Override
	public void time(String name, double millis, double sampleRate) {
		record(MetricKind.TIMER, name, millis);
	}

	@Override
	public void gauge(String name, double value) {
		record(MetricKind.GAUGE, name, value);
	}

	@Override
	public void hist(String name, double value) {
		record(MetricKind.HISTOGRAM, name, value);
	}

	private void record(MetricKind kind, String name, double value) {
		synchronized (this.lock) {
			apply(kind, name, value);
			this.lock.notifyAll();
		}
	}

	// Called with the lock held.
	private void apply(MetricKind kind, String name, double value) {
		if (this.closed) {
			drop(DropReason.CLOSED);
			return;
		}
		String qualified = MetricNames.qualify(this.prefix, name);
		if (qualified == null) {
			drop(DropReason.INVALID_NAME);
			return;
		}
		if (!Double.isFinite(value)) {
			drop(DropReason.INVALID_VALUE);
			return;
		}
		String wireName = MetricNames.limit(qualified);
		Map<String, ?> metrics = switch (kind) {
			case COUNTER -> this.counters;
			case GAUGE -> this.gauges;
			case TIMER -> this.timers;
			case HISTOGRAM -> this.histograms;
		};
		if (wireName.length() < qualified.length() && !metrics.containsKey(wireName)) {
			// Counted once per metric, as the network clients count a cut name once per
			// cell.
			this.truncatedNames++;
		}
		switch (kind) {
			case COUNTER -> this.counters.merge(wireName, value, Double::sum);
			case GAUGE -> this.gauges.put(wireName, value);
			case TIMER -> this.timers.computeIfAbsent(wireName, (key) -> new ArrayList<>()).add(value);
			case HISTOGRAM -> this.histograms.computeIfAbsent(wireName, (key) -> new ArrayList<>()).add(value);
		}
		this.recorded++;
	}

	private void drop(DropReason reason) {
		this.dropped.merge(reason, 1L, Long::sum);
	}

	@Override
	public Pipeline pipeline() {
		return new InMemoryPipeline(this::applyAll);
	}

	// A closed pipeline's entries, applied under one lock so that a test never sees half
	// of them.
	private void applyAll(List<InMemoryPipeline.Entry> entries) {
		synchronized (this.lock) {
			for (InMemoryPipeline.Entry entry : entries) {
				apply(entry.kind(), entry.name(), entry.value());
			}
			this.pipelines++;
			this.lock.notifyAll();
		}
	}

	/**
	 * Does nothing: everything recorded is already visible.
	 * @return {@code true}
	 */
	@Override
	public boolean flush() {
		return true;
	}

	/**
	 * Closes the client: later updates are dropped and counted as
	 * {@link DropReason#CLOSED}, as a network client's are. What was recorded stays
	 * readable.
	 */
	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			this.lock.notifyAll();
		}
	}

	/**
	 * Forgets everything recorded and every drop counted, so that the next test starts
	 * from nothing. A closed client stays closed.
	 */
	public void reset() {
		synchronized (this.lock) {
			this.counters.clear();
			this.gauges.clear();
			this.timers.clear();
			this.histograms.clear();
			this.dropped.replaceAll((reason, count) -> 0L);
			this.recorded = 0;
			this.pipelines = 0;
			this.truncatedNames = 0;
			this.lock.notifyAll();
		}
	}

	/**
	 * What has been recorded so far.
	 * @return an immutable snapshot
	 */
	public RecordedMetrics metrics() {
		synchronized (this.lock) {
			return snapshot();
		}
	}

	/**
	 * Waits until what has been recorded satisfies {@code condition}, or {@code timeout}
	 * has passed. The condition is tested again after every update, not on a schedule, on
	 * a read-only view that is valid only during the call.
	 * @param condition the condition to wait for
	 * @param timeout how long to wait at most
	 * @return a snapshot taken as soon as the condition held, or when the time was up
	 * (test it again to tell which)
	 */
	public RecordedMetrics await(Predicate<RecordedMetrics> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (!condition.test(view())) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					break;
				}
				try {
					// Woken by every update: no polling interval to wait out.
					TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			return snapshot();
		}
	}

	/**
	 * What this client accepted and dropped. Nothing is ever sent, so the sent counts are
	 * zero and nothing is pending.
	 */
	@Override
	public Telemetry telemetry() {
		synchronized (this.lock) {
			return new Telemetry(this.recorded, 0, 0, 0, this.dropped, 0, 0, null, null, null, 0, 0,
					this.truncatedNames);
		}
	}

	private RecordedMetrics snapshot() {
		return RecordedMetrics.copyOf(this.counters, this.gauges, this.timers, this.histograms, this.pipelines);
	}

	private RecordedMetrics view() {
		return RecordedMetrics.viewOf(this.counters, this.gauges, this.timers, this.histograms, this.pipelines);
	}

	@Override
	public String toString() {
		boolean prefixed = this.prefix != null && !this.prefix.isBlank();
		return prefixed ? "InMemoryStatsClient[prefix=" + this.prefix + "]" : "InMemoryStatsClient";
	}

}
