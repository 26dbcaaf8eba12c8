package io.heare.stats.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our client only: open a pipeline, record 10 metrics (4 counters, 3 timers, 3 gauges),
 * close it. One op = one pipeline of 10 metrics. Over UDP to a {@link LoopbackStatsdSink}
 * and over HTTP to a {@link LoopbackHttpSink}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {

	@Benchmark
	public void ours(Target t, NameCursor n) {
		try (Pipeline p = t.client.pipeline()) {
			p.incr(n.next())
				.incr(n.next())
				.incr(n.next())
				.incr(n.next())
				.time(n.next(), 5.0)
				.time(n.next(), 12.5)
				.time(n.next(), 3.0)
				.gauge(n.next(), 42.0)
				.gauge(n.next(), 7.5)
				.gauge(n.next(), 1.0);
		}
	}

	/**
	 * Our client over the transport given by {@code transport}, shared by all threads.
	 */
	@State(Scope.Benchmark)
	public static class Target {

		@Param({ "udp", "http" })
		public String transport;

		public StatsClient client;

		private LoopbackStatsdSink udpSink;

		private LoopbackHttpSink httpSink;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			try {
				if ("http".equals(this.transport)) {
					this.httpSink = new LoopbackHttpSink();
					this.client = Clients.heareHttp(this.httpSink);
				}
				else {
					this.udpSink = ClientStates.sink();
					this.client = Clients.heareUdp(this.udpSink);
				}
			}
			catch (RuntimeException ex) {
				closeSinks();
				throw ex;
			}
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.client.close();
			if (this.udpSink != null) {
				ClientStates.report("heare-udp pipeline", this.udpSink);
			}
			if (this.httpSink != null) {
				System.out.printf("%n[sink] heare-http pipeline: %d requests, %d body bytes%n",
						this.httpSink.requests(), this.httpSink.bodyBytes());
			}
			closeSinks();
		}

		private void closeSinks() {
			if (this.udpSink != null) {
				this.udpSink.close();
			}
			if (this.httpSink != null) {
				this.httpSink.close();
			}
		}

	}

}
