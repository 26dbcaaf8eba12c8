package io.heare.stats.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.heare.stats.client.HttpClient;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.Telemetry;

/**
 * Records at full speed from two threads into an {@link HttpClient} whose service is down
 * (a closed port), and prints the heap used after a full GC every few seconds: the heap
 * must stay flat while the client retries and drops what exceeds its caps.
 * <p>
 * {@code java -cp benchmarks.jar io.heare.stats.bench.DownServiceSoak [seconds]}
 */
public final class DownServiceSoak {

	private DownServiceSoak() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 60;
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		StatsClient client = StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(port)
			.secret("soak")
			.build());
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 2; t++) {
			Thread thread = new Thread(() -> {
				long i = 0;
				while (running.get()) {
					String name = Names.METRICS[(int) (i % Names.COUNT)];
					client.incr(name);
					client.time(name, i % 100);
					i++;
				}
			});
			thread.start();
			threads.add(thread);
		}
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.out.println("| seconds | heap used after GC (MB) | recorded | dropped | pending | failures |");
		System.out.println("|---:|---:|---:|---:|---:|---:|");
		for (int elapsed = 0; elapsed <= seconds; elapsed += 5) {
			System.gc();
			Telemetry telemetry = client.telemetry();
			System.out.printf("| %d | %.1f | %,d | %,d | %,d | %,d |%n", elapsed,
					memory.getHeapMemoryUsage().getUsed() / 1e6, telemetry.recorded(), telemetry.droppedTotal(),
					telemetry.pending(), telemetry.failures());
			Thread.sleep(5_000);
		}
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		client.close();
	}

}
