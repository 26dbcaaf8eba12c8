package io.heare.stats.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Micrometer meters, side by side: our {@code HeareMeterRegistry} (over our UDP client)
 * against Micrometer's {@code StatsdMeterRegistry} (Etsy flavour, UDP), each sink only
 * draining, cycling over 100 names. {@code counter.increment()} and
 * {@code timer.record(5 ms)} on meters looked up once ({@code *Cached}) and looked up by
 * name on every call ({@code *ByName}).
 * <p>
 * Two baselines split our time into Micrometer's share and ours: {@code simple*} is the
 * same call on Micrometer's {@code SimpleMeterRegistry}, whose cumulative meters ours
 * extend (lookup and local statistics: Micrometer's share), and {@code client*} is our
 * client's {@code incr}/{@code time} with the meter's flat name (what our meter adds).
 * Run at 1 and 2 threads with {@code -t}, with {@code -prof gc} for B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MeterRegistryBenchmark {

	@Benchmark
	public void heareCounterCached(MeterRegistryStates.Heare s, NameCursor names) {
		s.counters[names.nextIndex()].increment();
	}

	@Benchmark
	public void statsdCounterCached(MeterRegistryStates.Statsd s, NameCursor names) {
		s.counters[names.nextIndex()].increment();
	}

	@Benchmark
	public void simpleCounterCached(MeterRegistryStates.Simple s, NameCursor names) {
		s.counters[names.nextIndex()].increment();
	}

	@Benchmark
	public void heareCounterByName(MeterRegistryStates.Heare s, NameCursor names) {
		s.registry.counter(names.next()).increment();
	}

	@Benchmark
	public void statsdCounterByName(MeterRegistryStates.Statsd s, NameCursor names) {
		s.registry.counter(names.next()).increment();
	}

	@Benchmark
	public void simpleCounterByName(MeterRegistryStates.Simple s, NameCursor names) {
		s.registry.counter(names.next()).increment();
	}

	@Benchmark
	public void clientIncr(MeterRegistryStates.Heare s, NameCursor names) {
		s.client.incr(names.next(), 1d);
	}

	@Benchmark
	public void heareTimerCached(MeterRegistryStates.Heare s, NameCursor names) {
		s.timers[names.nextIndex()].record(5, TimeUnit.MILLISECONDS);
	}

	@Benchmark
	public void statsdTimerCached(MeterRegistryStates.Statsd s, NameCursor names) {
		s.timers[names.nextIndex()].record(5, TimeUnit.MILLISECONDS);
	}

	@Benchmark
	public void simpleTimerCached(MeterRegistryStates.Simple s, NameCursor names) {
		s.timers[names.nextIndex()].record(5, TimeUnit.MILLISECONDS);
	}

	@Benchmark
	public void heareTimerByName(MeterRegistryStates.Heare s, NameCursor names) {
		s.registry.timer(MeterRegistryStates.TIMERS[names.nextIndex()]).record(5, TimeUnit.MILLISECONDS);
	}

	@Benchmark
	public void statsdTimerByName(MeterRegistryStates.Statsd s, NameCursor names) {
		s.registry.timer(MeterRegistryStates.TIMERS[names.nextIndex()]).record(5, TimeUnit.MILLISECONDS);
	}

	@Benchmark
	public void simpleTimerByName(MeterRegistryStates.Simple s, NameCursor names) {
		s.registry.timer(MeterRegistryStates.TIMERS[names.nextIndex()]).record(5, TimeUnit.MILLISECONDS);
	}

	@Benchmark
	public void clientTime(MeterRegistryStates.Heare s, NameCursor names) {
		s.client.time(MeterRegistryStates.TIMERS[names.nextIndex()], 5.0);
	}

}
