package io.heare.stats.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.Timer;

/**
 * The CPU time of our sender thread at a steady rate of HTTP exchanges as the starter
 * records them (a group of two timers and four counters, and a {@code @Timed} method's
 * timer), delivered over {@code http} to a {@link LoopbackHttpSink}: the part of the
 * request cost that is per post and per value rather than per request, without a web
 * server around it. Pin it to one CPU, as {@code scripts/request-cost.sh} pins the
 * application, so that the sender shares its core with the threads that record.
 *
 * <pre>
 * taskset -c 0 java -cp CP io.heare.stats.bench.SenderCost [exchanges/s [seconds [threads [linger ms]]]]
 * </pre>
 *
 * Defaults: 20,000 exchanges a second for 15 s (after 5 s of warm-up) from 8 threads, the
 * client's default linger (300 ms).
 */
public final class SenderCost {

	private static final int GROUPS = 4;

	private SenderCost() {
	}

	public static void main(String[] args) throws Exception {
		int rate = (args.length > 0) ? Integer.parseInt(args[0]) : 20_000;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 15;
		int threads = (args.length > 2) ? Integer.parseInt(args[2]) : 8;
		Duration linger = (args.length > 3) ? Duration.ofMillis(Long.parseLong(args[3]))
				: StatsClientConfig.LINGER.defaultValue();
		try (LoopbackHttpSink sink = new LoopbackHttpSink();
				StatsClient client = StatsClient.create(StatsClientConfig.builder()
					.protocol(Protocol.HTTP)
					.destHost(sink.host())
					.destPort(sink.port())
					.secret("sender-cost")
					.set(StatsClientConfig.LINGER, linger)
					.build())) {
			Timer[] exchanges = new Timer[GROUPS];
			for (int i = 0; i < GROUPS; i++) {
				exchanges[i] = client.timer(
						List.of("http.server.response.time", "http.server.route.GET.r" + i + ".time"),
						List.of("http.server.requests.total", "http.server.requests.method.GET",
								"http.server.requests.status.200", "http.server.requests.success"));
			}
			Timer method = client.timer("orders.create");
			long warmUp = 5_000_000_000L;
			long end = System.nanoTime() + warmUp + seconds * 1_000_000_000L;
			List<Thread> recorders = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				Thread recorder = new Thread(() -> record(exchanges, method, (double) rate / threads, end));
				recorder.start();
				recorders.add(recorder);
			}
			Thread.sleep(warmUp / 1_000_000);
			ThreadMXBean mx = ManagementFactory.getThreadMXBean();
			long cpu0 = senderCpu(mx);
			long posts0 = sink.requests();
			long bytes0 = sink.bodyBytes();
			long t0 = System.nanoTime();
			for (Thread recorder : recorders) {
				recorder.join();
			}
			double elapsed = (System.nanoTime() - t0) / 1e9;
			double cpuMillisPerSecond = (senderCpu(mx) - cpu0) / 1e6 / elapsed;
			System.out.printf(Locale.ROOT,
					"%,d exchanges/s from %d threads, linger %d ms: sender %.2f ms CPU/s, %.3f µs per exchange, "
							+ "%.1f posts/s of %.1f KB%n",
					rate, threads, linger.toMillis(), cpuMillisPerSecond, cpuMillisPerSecond * 1000 / rate,
					(sink.requests() - posts0) / elapsed,
					(sink.bodyBytes() - bytes0) / 1024d / Math.max(1, sink.requests() - posts0));
		}
	}

	// Durations as a request's are: whole nanoseconds over 10^6.
	private static void record(Timer[] exchanges, Timer method, double perSecond, long end) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long start = System.nanoTime();
		long done = 0;
		long now;
		while ((now = System.nanoTime()) < end) {
			long due = (long) ((now - start) / 1e9 * perSecond);
			for (; done < due; done++) {
				exchanges[(int) (done % GROUPS)].time(random.nextInt(100_000, 2_000_000) / 1e6);
				method.time(random.nextInt(50_000, 1_000_000) / 1e6);
			}
			LockSupport.parkNanos(200_000);
		}
	}

	private static long senderCpu(ThreadMXBean mx) {
		long nanos = 0;
		for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
			if (info != null && info.getThreadName().startsWith("heare-stats-sender")) {
				nanos += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
			}
		}
		return nanos;
	}

}
