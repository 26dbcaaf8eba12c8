package io.heare.stats.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.timgroup.statsd.NonBlockingStatsDClient;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Telemetry;
import io.heare.stats.micrometer.HeareConfig;
import io.heare.stats.micrometer.HeareMeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.statsd.StatsdMeterRegistry;

/**
 * Does a client deliver what it was given? For each client named on the command line, 2
 * threads increment counters over {@link Names#COUNT} names as fast as they can for N
 * seconds; then the client is flushed and closed, the check waits, and it prints one
 * Markdown row: increments recorded, increments/s, the counter total the loopback sink
 * received, the delivered fraction, what was delivered plus what the client counted as
 * dropped (for clients that count), and datagrams received. With {@code --timers} the
 * threads record 5 ms timings instead and the sink counts timer values.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.heare.stats.bench.DeliveryCheck
 * [--seconds=10] [--wait=5] [--threads=2] [--timers] [--no-header] [client...]} with
 * clients among {@code micrometer}, {@code datadog} (aggregation, non-blocking: its
 * default), {@code datadog-noagg}, {@code datadog-blocking}, {@code ours-udp},
 * {@code ours-micrometer} (our Micrometer registry over our UDP client, meters looked up
 * by name), {@code ours-micrometer-cached} and {@code micrometer-cached} (meters looked
 * up once). Default: {@code micrometer datadog ours-udp}. Run one client per JVM for
 * clean numbers (scripts/bench.sh does).
 */
public final class DeliveryCheck {

	/** What the check needs from a client. */
	interface Recorder {

		void incr(String name);

		void time(String name);

		/** Flushes (if the client can) and closes; returns a note for the report. */
		String close();

		/** Updates the client itself counted as dropped, or -1 when it does not say. */
		default long countedDrops() {
			return -1;
		}

	}

	public static void main(String[] args) throws Exception {
		int seconds = 10;
		int waitSeconds = 5;
		int threads = 2;
		boolean header = true;
		boolean timers = false;
		List<String> clients = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--seconds=")) {
				seconds = Integer.parseInt(arg.substring(10));
			}
			else if (arg.startsWith("--wait=")) {
				waitSeconds = Integer.parseInt(arg.substring(7));
			}
			else if (arg.startsWith("--threads=")) {
				threads = Integer.parseInt(arg.substring(10));
			}
			else if (arg.equals("--no-header")) {
				header = false;
			}
			else if (arg.equals("--timers")) {
				timers = true;
			}
			else if (arg.matches("\\d+")) {
				seconds = Integer.parseInt(arg);
			}
			else {
				clients.add(arg);
			}
		}
		if (clients.isEmpty()) {
			clients = List.of("micrometer", "datadog", "ours-udp");
		}
		if (header) {
			System.out.printf("%d threads at full speed for %d s, then flush/close and wait %d s:%n%n", threads,
					seconds, waitSeconds);
			System.out.println(timers
					? "| client | timings recorded | timings/s | sink timer values | delivered | delivered + counted drops | datagrams | kernel drops | note |"
					: "| client | recorded | increments/s | sink counter total | delivered | delivered + counted drops | datagrams | kernel drops | note |");
			System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
		}
		for (String client : clients) {
			System.out.println(run(client, seconds, waitSeconds, threads, timers));
		}
	}

	static String run(String kind, int seconds, int waitSeconds, int threads, boolean timers) throws Exception {
		try (LoopbackStatsdSink sink = new LoopbackStatsdSink()) {
			Recorder recorder;
			try {
				recorder = recorder(kind, sink);
			}
			catch (UnsupportedOperationException ex) {
				return String.format("| %s | – | – | – | – | – | – | – | not wired: %s |", kind, ex.getMessage());
			}
			Worker[] workers = new Worker[threads];
			for (int t = 0; t < threads; t++) {
				workers[t] = new Worker(recorder, (t * 37) % Names.COUNT, timers);
			}
			long start = System.nanoTime();
			for (Worker w : workers) {
				w.start();
			}
			Thread.sleep(seconds * 1000L);
			for (Worker w : workers) {
				w.running = false;
			}
			long recorded = 0;
			for (Worker w : workers) {
				w.join();
				recorded += w.count;
			}
			double elapsed = (System.nanoTime() - start) / 1e9;
			long closeStart = System.nanoTime();
			String note = recorder.close();
			double closeMillis = (System.nanoTime() - closeStart) / 1e6;
			Thread.sleep(waitSeconds * 1000L);
			LoopbackStatsdSink.Snapshot s = sink.snapshot();
			double delivered = timers ? s.timerValues() : s.counterTotal(Names.SENT_PREFIX);
			if (delivered == 0 && s.lines() > 0) {
				System.err.printf("%s: nothing under %s; %d lines, %d malformed, counters seen: %s%n", kind,
						Names.SENT_PREFIX, s.lines(), s.malformed(), s.counters().keySet().stream().limit(5).toList());
			}
			long drops = recorder.countedDrops();
			String accounted = (drops < 0) ? "–"
					: String.format(Locale.ROOT, "%.1f %%", 100.0 * (delivered + drops) / recorded);
			return String.format(Locale.ROOT, "| %s | %,d | %s/s | %,.0f | %.1f %% | %s | %,d | %d | close %.0f ms%s |",
					kind, recorded, human(recorded / elapsed), delivered, 100.0 * delivered / recorded, accounted,
					s.datagrams(), s.kernelDrops(), closeMillis, note.isEmpty() ? "" : "; " + note);
		}
	}

	private static String human(double perSecond) {
		if (perSecond >= 1e6) {
			return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
		}
		return String.format(Locale.ROOT, "%.1f k", perSecond / 1e3);
	}

	static Recorder recorder(String kind, LoopbackStatsdSink sink) {
		switch (kind) {
			case "micrometer": {
				StatsdMeterRegistry registry = Clients.micrometer(sink);
				return byName(registry, closing(registry), NOT_COUNTED);
			}
			case "datadog":
				return datadog(Clients.datadog(sink, true, false));
			case "datadog-noagg":
				return datadog(Clients.datadog(sink, false, false));
			case "datadog-blocking":
				return datadog(Clients.datadog(sink, true, true));
			case "ours-udp": {
				StatsClient client = Clients.heareUdp(sink);
				return new Recorder() {
					@Override
					public void incr(String name) {
						client.incr(name);
					}

					@Override
					public void time(String name) {
						client.time(name, 5.0);
					}

					@Override
					public long countedDrops() {
						return client.telemetry().droppedTotal();
					}

					@Override
					public String close() {
						return flushAndClose(client);
					}
				};
			}
			case "ours-micrometer":
				return oursMicrometer(Clients.heareUdp(sink), false);
			case "ours-micrometer-cached":
				return oursMicrometer(Clients.heareUdp(sink), true);
			case "micrometer-cached": {
				StatsdMeterRegistry registry = Clients.micrometer(sink);
				return cached(registry, closing(registry), NOT_COUNTED);
			}
			default:
				throw new IllegalArgumentException("unknown client " + kind
						+ " (micrometer, micrometer-cached, datadog, datadog-noagg, datadog-blocking, ours-udp, ours-micrometer, ours-micrometer-cached)");
		}
	}

	// Our HeareMeterRegistry over our UDP client, meters looked up by name on every call,
	// as the "micrometer" client does with Micrometer's StatsD registry, or once
	// (cached).
	private static Recorder oursMicrometer(StatsClient client, boolean cached) {
		HeareMeterRegistry registry = new HeareMeterRegistry(HeareConfig.DEFAULT, client);
		Supplier<String> close = () -> {
			registry.close();
			return flushAndClose(client);
		};
		LongSupplier drops = () -> client.telemetry().droppedTotal();
		return cached ? cached(registry, close, drops) : byName(registry, close, drops);
	}

	// Flushes and closes our client; the note says whether the flush completed and what
	// the client counted as dropped.
	private static String flushAndClose(StatsClient client) {
		boolean flushed = client.flush();
		client.close();
		Telemetry t = client.telemetry();
		return "flush " + (flushed ? "ok" : "incomplete") + "; client-counted drops " + t.droppedTotal() + " "
				+ t.dropped();
	}

	// Micrometer's StatsD registry does not count what it drops.
	private static final LongSupplier NOT_COUNTED = () -> -1;

	private static Supplier<String> closing(MeterRegistry registry) {
		return () -> {
			registry.close();
			return "";
		};
	}

	// Meters looked up by name on every call, as code that does not keep its meters does.
	private static Recorder byName(MeterRegistry registry, Supplier<String> close, LongSupplier drops) {
		return meters(registry::counter, registry::timer, close, drops);
	}

	// Meters looked up once, by the name the worker passes (a HashMap lookup, the same
	// for every registry), as code that keeps its meters in fields does.
	private static Recorder cached(MeterRegistry registry, Supplier<String> close, LongSupplier drops) {
		Map<String, Counter> counters = new HashMap<>();
		Map<String, Timer> timers = new HashMap<>();
		for (String name : Names.METRICS) {
			counters.put(name, registry.counter(name));
			timers.put(name, registry.timer(name + ".time"));
		}
		return meters(counters::get, timers::get, close, drops);
	}

	private static Recorder meters(Function<String, Counter> counter, Function<String, Timer> timer,
			Supplier<String> close, LongSupplier drops) {
		return new Recorder() {
			@Override
			public void incr(String name) {
				counter.apply(name).increment();
			}

			@Override
			public void time(String name) {
				timer.apply(name).record(5, TimeUnit.MILLISECONDS);
			}

			@Override
			public long countedDrops() {
				return drops.getAsLong();
			}

			@Override
			public String close() {
				return close.get();
			}
		};
	}

	private static Recorder datadog(NonBlockingStatsDClient client) {
		return new Recorder() {
			@Override
			public void incr(String name) {
				client.count(name, 1);
			}

			@Override
			public void time(String name) {
				client.time(name, 5);
			}

			@Override
			public String close() {
				client.stop();
				return "";
			}
		};
	}

	/** Increments names round-robin until told to stop, counting what it recorded. */
	static final class Worker extends Thread {

		private final Recorder recorder;

		private final int offset;

		private final boolean timers;

		volatile boolean running = true;

		long count;

		Worker(Recorder recorder, int offset, boolean timers) {
			super("delivery-worker-" + offset);
			this.recorder = recorder;
			this.offset = offset;
			this.timers = timers;
		}

		@Override
		public void run() {
			String[] names = Names.METRICS;
			int i = this.offset;
			long n = 0;
			while (this.running) {
				for (int k = 0; k < 256; k++) {
					if (this.timers) {
						this.recorder.time(names[i]);
					}
					else {
						this.recorder.incr(names[i]);
					}
					if (++i == Names.COUNT) {
						i = 0;
					}
				}
				n += 256;
			}
			this.count = n;
		}

	}

}
