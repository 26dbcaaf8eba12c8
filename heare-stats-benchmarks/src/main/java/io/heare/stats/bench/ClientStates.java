package io.heare.stats.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

import com.timgroup.statsd.NonBlockingStatsDClient;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.TcpClient;
import io.micrometer.statsd.StatsdMeterRegistry;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One JMH state per client under test, shared by all benchmark threads
 * ({@link Scope#Benchmark}), each with its own loopback sink, which only drains (see
 * {@link LoopbackStatsdSink#drainOnly()}). A benchmark method takes only the state it
 * measures, so a fork sets up only that client.
 */
public final class ClientStates {

	private ClientStates() {
	}

	// -Dheare.bench.parsingSink=true (with -jvmArgsAppend) gives these benchmarks the
	// sink that DeliveryCheck uses, which parses every line, to compare with figures
	// measured that way.
	static LoopbackStatsdSink sink() throws IOException {
		return Boolean.getBoolean("heare.bench.parsingSink") ? new LoopbackStatsdSink()
				: LoopbackStatsdSink.drainOnly();
	}

	static void report(String client, LoopbackStatsdSink sink) {
		LoopbackStatsdSink.Snapshot s = sink.snapshot();
		System.out.printf("%n[sink] %s: %d datagrams, %d bytes, kernel drops %d, rcvbuf %d%n", client, s.datagrams(),
				s.bytes(), s.kernelDrops(), sink.receiveBufferSize());
	}

	// CPU each busy thread has used since it started: on two cores, what the sender and
	// the sink take is time the benchmark threads do not get.
	static void reportThreadCpu() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (long id : threads.getAllThreadIds()) {
			ThreadInfo info = threads.getThreadInfo(id);
			long cpu = threads.getThreadCpuTime(id);
			if (info != null && cpu > 100_000_000L) {
				System.out.printf("[cpu] %-60s %6d ms%n", info.getThreadName(), cpu / 1_000_000);
			}
		}
	}

	/** Our client over UDP. */
	@State(Scope.Benchmark)
	public static class HeareUdp {

		public LoopbackStatsdSink sink;

		public StatsClient client;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = sink();
			try {
				this.client = Clients.heareUdp(this.sink);
			}
			catch (RuntimeException ex) {
				this.sink.close();
				throw ex;
			}
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			reportThreadCpu();
			this.client.close();
			report("heare-udp", this.sink);
			System.out.printf("[client] heare-udp: %s%n", this.client.telemetry());
			this.sink.close();
		}

	}

	/** Our client over TCP to a port nothing listens on: the service is down. */
	@State(Scope.Benchmark)
	public static class HeareTcpDown {

		public StatsClient client;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			this.client = StatsClient.create(StatsClientConfig.builder()
				.protocol(Protocol.TCP)
				.destHost("127.0.0.1")
				.destPort(port)
				.set(StatsClientConfig.CLOSE_TIMEOUT, Duration.ofMillis(100))
				.build());
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			reportThreadCpu();
			this.client.close();
			System.out.printf("[client] heare-tcp-down: %s%n", this.client.telemetry());
		}

	}

	/** Micrometer's StatsdMeterRegistry, Etsy flavour, over UDP. */
	@State(Scope.Benchmark)
	public static class Micrometer {

		public LoopbackStatsdSink sink;

		public StatsdMeterRegistry registry;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = sink();
			this.registry = Clients.micrometer(this.sink);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.registry.close();
			report("micrometer", this.sink);
			this.sink.close();
		}

	}

	/** java-dogstatsd-client, aggregation on, non-blocking (its defaults). */
	@State(Scope.Benchmark)
	public static class Datadog {

		public LoopbackStatsdSink sink;

		public NonBlockingStatsDClient client;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = sink();
			this.client = Clients.datadog(this.sink);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			reportThreadCpu();
			this.client.stop();
			report("datadog", this.sink);
			this.sink.close();
		}

	}

}
