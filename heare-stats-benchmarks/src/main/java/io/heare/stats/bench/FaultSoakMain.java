package io.heare.stats.bench;

import java.time.Duration;

import io.heare.stats.client.RetryPolicy;
import io.heare.stats.client.soak.FaultSoak;

/**
 * The several-minute fault soak: two threads record (one client and service per kind of
 * metric) while the services cycle through 200, 500, 429, 401, a hang past the timeout, a
 * dropped connection and a refused port, then recover; prints the accounting per kind,
 * the requests per phase and the heap after GC at the start and the end, and fails unless
 * the services accepted exactly what was recorded less what was dropped. The client
 * retries from 100 ms doubling to 2 s, so that every phase of a few seconds sees requests
 * (the default's 30 s could sleep through a whole phase).
 * <p>
 * {@code java -cp heare-stats-benchmarks/target/benchmarks.jar io.heare.stats.bench.FaultSoakMain [seconds per phase] [cycles]}
 * (defaults: 8 s per phase, 3 cycles, about 3 minutes).
 */
public final class FaultSoakMain {

	private FaultSoakMain() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 8;
		int cycles = (args.length > 1) ? Integer.parseInt(args[1]) : 3;
		long start = System.nanoTime();
		FaultSoak.Report report = FaultSoak.run(Duration.ofSeconds(seconds), cycles, Duration.ofSeconds(seconds),
				new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.2), Duration.ofSeconds(2),
				System.out::println);
		System.out.printf("%nfault soak: %d s per phase, %d cycles, %d s in all%n%n", seconds, cycles,
				Duration.ofNanos(System.nanoTime() - start).toSeconds());
		System.out.println(report.format());
		boolean exact = report.exact();
		System.out.println(
				exact ? "every update accounted for; delivered = recorded - dropped, per kind" : "ACCOUNTING MISMATCH");
		System.exit(exact ? 0 : 1);
	}

}
