package io.heare.stats.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.heare.stats.client.Counter;

/**
 * Increment a counter by name, cycling over 100 names: our client (by name, and through
 * counters bound to the names) against Micrometer and Datadog, and two floors (a plain
 * {@link LongAdder} array, and a {@link ConcurrentHashMap} lookup plus
 * {@link LongAdder}). Run at 1 and 2 threads with {@code -t}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CounterBenchmark {

	@Benchmark
	public void ours(ClientStates.HeareUdp s, NameCursor names) {
		s.client.incr(names.next());
	}

	@Benchmark
	public void oursBound(BoundCounters s, NameCursor names) {
		s.counters[names.nextIndex()].incr();
	}

	@Benchmark
	public void micrometer(ClientStates.Micrometer s, NameCursor names) {
		s.registry.counter(names.next()).increment();
	}

	@Benchmark
	public void datadog(ClientStates.Datadog s, NameCursor names) {
		s.client.count(names.next(), 1);
	}

	@Benchmark
	public void floorLongAdder(Floors s, NameCursor names) {
		s.adders[names.nextIndex()].increment();
	}

	@Benchmark
	public void floorMapLookup(Floors s, NameCursor names) {
		s.byName.computeIfAbsent(names.next(), (k) -> new LongAdder()).increment();
	}

	/** Our client's counters bound to the same names ({@code StatsClient.counter}). */
	@State(Scope.Benchmark)
	public static class BoundCounters {

		public Counter[] counters;

		@Setup
		public void setUp(ClientStates.HeareUdp s) {
			this.counters = new Counter[Names.COUNT];
			for (int i = 0; i < Names.COUNT; i++) {
				this.counters[i] = s.client.counter(Names.METRICS[i]);
			}
		}

	}

	/** The floors: no I/O, no formatting. */
	@State(Scope.Benchmark)
	public static class Floors {

		public LongAdder[] adders;

		public ConcurrentHashMap<String, LongAdder> byName;

		@Setup
		public void setUp() {
			this.adders = new LongAdder[Names.COUNT];
			this.byName = new ConcurrentHashMap<>();
			for (int i = 0; i < Names.COUNT; i++) {
				this.adders[i] = new LongAdder();
			}
		}

	}

}
