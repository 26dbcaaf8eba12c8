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
 * Record a 5 ms timing by name, cycling over 100 names. Run at 1 and 2 threads with
 * {@code -t}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TimerBenchmark {

	@Benchmark
	public void ours(ClientStates.HeareUdp s, NameCursor names) {
		s.client.time(names.next(), 5.0);
	}

	/**
	 * Ours with the metrics service down (TCP, nothing listening): the sender only
	 * retries and drops at the caps, so this is the record path without the cost of
	 * delivering.
	 */
	@Benchmark
	public void oursServiceDown(ClientStates.HeareTcpDown s, NameCursor names) {
		s.client.time(names.next(), 5.0);
	}

	@Benchmark
	public void micrometer(ClientStates.Micrometer s, NameCursor names) {
		s.registry.timer(names.next()).record(5, TimeUnit.MILLISECONDS);
	}

	@Benchmark
	public void datadog(ClientStates.Datadog s, NameCursor names) {
		s.client.time(names.next(), 5);
	}

}
