package io.heare.stats.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler ({@code -prof io.heare.stats.bench.ProcessCpuProfiler}) that reports the
 * CPU time the whole benchmark JVM spent per operation ({@code cpu.norm}, ns/op): the
 * benchmark threads, and also our client's sender thread, the JDK HTTP client's threads,
 * GC and JIT, minus the threads of the in-process {@link LoopbackHttpSink}, which stands
 * for the metrics service and is not a cost of the application.
 * <p>
 * Needed because AverageTime only sees the request thread: work moved to the sender
 * thread does not show there, yet it is CPU the instrumentation adds to each request.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

	/**
	 * Name prefixes of the sink's threads: its executor and the JDK server's dispatcher.
	 */
	private static final List<String> SINK_THREADS = List.of("http-sink", "HTTP-Dispatcher");

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private long processBefore;

	private Map<Long, Long> sinkBefore = Map.of();

	@Override
	public String getDescription() {
		return "CPU time of the whole JVM per op, the loopback sink's threads excepted";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		this.sinkBefore = sinkCpu();
		this.processBefore = this.os.getProcessCpuTime();
	}

	@Override
	public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
			IterationResult result) {
		long process = this.os.getProcessCpuTime() - this.processBefore;
		long sink = 0;
		for (Map.Entry<Long, Long> e : sinkCpu().entrySet()) {
			sink += e.getValue() - this.sinkBefore.getOrDefault(e.getKey(), 0L);
		}
		// All ops, as GCProfiler normalizes: the CPU window spans the whole iteration.
		long ops = result.getMetadata().getAllOps();
		double perOp = (ops > 0) ? (process - sink) / (double) ops : Double.NaN;
		return List.of(new ScalarResult("cpu.norm", perOp, "ns/op", AggregationPolicy.AVG));
	}

	private Map<Long, Long> sinkCpu() {
		Map<Long, Long> cpu = new HashMap<>();
		for (ThreadInfo info : this.threads.getThreadInfo(this.threads.getAllThreadIds())) {
			if (info != null && SINK_THREADS.stream().anyMatch(info.getThreadName()::startsWith)) {
				long t = this.threads.getThreadCpuTime(info.getThreadId());
				if (t >= 0) {
					cpu.put(info.getThreadId(), t);
				}
			}
		}
		return cpu;
	}

}
