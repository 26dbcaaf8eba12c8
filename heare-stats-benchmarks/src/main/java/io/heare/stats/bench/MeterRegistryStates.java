package io.heare.stats.bench;

import java.io.IOException;

import io.heare.stats.client.StatsClient;
import io.heare.stats.micrometer.HeareConfig;
import io.heare.stats.micrometer.HeareMeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.statsd.StatsdMeterRegistry;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH states for {@link MeterRegistryBenchmark}: a Micrometer registry each, shared by
 * all benchmark threads, with a counter per name of {@link Names#METRICS} and a timer per
 * name of {@link #TIMERS} registered up front for the benchmarks on cached meters.
 */
public final class MeterRegistryStates {

	private MeterRegistryStates() {
	}

	/**
	 * Timer names, apart from the counters' ({@link Names#METRICS}): a registry refuses a
	 * timer with a counter's name.
	 */
	static final String[] TIMERS = new String[Names.COUNT];

	static {
		for (int i = 0; i < Names.COUNT; i++) {
			TIMERS[i] = Names.PREFIX + "timer." + i;
		}
	}

	/** The meters of one registry, looked up once. */
	abstract static class Meters {

		public MeterRegistry registry;

		public Counter[] counters;

		public Timer[] timers;

		void register(MeterRegistry registry) {
			this.registry = registry;
			this.counters = new Counter[Names.COUNT];
			this.timers = new Timer[Names.COUNT];
			for (int i = 0; i < Names.COUNT; i++) {
				this.counters[i] = registry.counter(Names.METRICS[i]);
				this.timers[i] = registry.timer(TIMERS[i]);
			}
		}

	}

	/** Our {@link HeareMeterRegistry} over our UDP client to a draining loopback sink. */
	@State(Scope.Benchmark)
	public static class Heare extends Meters {

		public LoopbackStatsdSink sink;

		public StatsClient client;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = ClientStates.sink();
			this.client = Clients.heareUdp(this.sink);
			register(new HeareMeterRegistry(HeareConfig.DEFAULT, this.client));
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			ClientStates.reportThreadCpu();
			this.registry.close();
			this.client.close();
			ClientStates.report("heare-micrometer", this.sink);
			System.out.printf("[client] heare-micrometer: %s%n", this.client.telemetry());
			this.sink.close();
		}

	}

	/**
	 * Micrometer's {@link StatsdMeterRegistry}, Etsy flavour, UDP, to a draining loopback
	 * sink.
	 */
	@State(Scope.Benchmark)
	public static class Statsd extends Meters {

		public LoopbackStatsdSink sink;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = ClientStates.sink();
			register(Clients.micrometer(this.sink));
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.registry.close();
			ClientStates.report("micrometer-statsd", this.sink);
			this.sink.close();
		}

	}

	/**
	 * Micrometer's {@link SimpleMeterRegistry} (cumulative), which sends nothing: the
	 * part of a meter's cost that is Micrometer's own (lookup by name, cumulative
	 * statistics), the same in every registry built on its cumulative meters, ours
	 * included.
	 */
	@State(Scope.Benchmark)
	public static class Simple extends Meters {

		@Setup(Level.Trial)
		public void setUp() {
			register(new SimpleMeterRegistry());
		}

	}

}
