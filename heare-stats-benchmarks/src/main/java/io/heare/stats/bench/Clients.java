package io.heare.stats.bench;

import java.time.Duration;

import com.timgroup.statsd.NonBlockingStatsDClient;
import com.timgroup.statsd.NonBlockingStatsDClientBuilder;
import io.heare.stats.client.StatsClient;
import io.micrometer.core.instrument.Clock;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.micrometer.statsd.StatsdProtocol;

/**
 * Creates the clients under test, each pointed at a {@link LoopbackStatsdSink} and
 * started: a client is returned only once a probe metric it sent has reached the sink
 * (Micrometer drops what is recorded before its UDP client connects). The probe metrics
 * are named {@code warmup.*}, outside {@link Names#PREFIX}.
 */
public final class Clients {

	private static final long PROBE_TIMEOUT_MILLIS = 10_000;

	private Clients() {
	}

	/** Micrometer {@link StatsdMeterRegistry}, Etsy flavour, UDP, defaults otherwise. */
	public static StatsdMeterRegistry micrometer(LoopbackStatsdSink sink) {
		StatsdConfig config = new StatsdConfig() {
			@Override
			public String get(String key) {
				return null;
			}

			@Override
			public StatsdFlavor flavor() {
				return StatsdFlavor.ETSY;
			}

			@Override
			public String host() {
				return sink.host();
			}

			@Override
			public int port() {
				return sink.port();
			}

			@Override
			public StatsdProtocol protocol() {
				return StatsdProtocol.UDP;
			}
		};
		StatsdMeterRegistry registry = new StatsdMeterRegistry(config, Clock.SYSTEM);
		awaitProbe(sink, "warmup.micrometer", () -> registry.counter("warmup.micrometer").increment());
		return registry;
	}

	/**
	 * java-dogstatsd-client's {@link NonBlockingStatsDClient}, UDP, with client-side
	 * aggregation (its default) and non-blocking (its default) unless told otherwise.
	 */
	public static NonBlockingStatsDClient datadog(LoopbackStatsdSink sink, boolean aggregation, boolean blocking) {
		NonBlockingStatsDClient client = new NonBlockingStatsDClientBuilder().hostname(sink.host())
			.port(sink.port())
			.enableAggregation(aggregation)
			.blocking(blocking)
			.build();
		awaitProbe(sink, "warmup.datadog", () -> client.count("warmup.datadog", 1));
		return client;
	}

	/** Datadog with its defaults (aggregation on, non-blocking). */
	public static NonBlockingStatsDClient datadog(LoopbackStatsdSink sink) {
		return datadog(sink, true, false);
	}

	/** Our client over UDP; see {@link HeareClients}. */
	public static StatsClient heareUdp(LoopbackStatsdSink sink) {
		StatsClient client = HeareClients.udp(sink.host(), sink.port());
		awaitProbe(sink, "warmup.heare", () -> {
			client.incr("warmup.heare");
			client.flush();
		});
		return client;
	}

	/** Our client over HTTP; see {@link HeareClients}. */
	public static StatsClient heareHttp(LoopbackHttpSink sink) {
		StatsClient client = HeareClients.http(sink.host(), sink.port(), "bench-secret");
		client.incr("warmup.heare");
		client.flush();
		return client;
	}

	/**
	 * Sends the probe every 50 ms until the sink has seen a counter named
	 * {@code warmup*}; gives up (with a warning) after 10 s.
	 */
	static void awaitProbe(LoopbackStatsdSink sink, String name, Runnable send) {
		long deadline = System.nanoTime() + Duration.ofMillis(PROBE_TIMEOUT_MILLIS).toNanos();
		try {
			while (System.nanoTime() < deadline) {
				send.run();
				Thread.sleep(50);
				// Micrometer's Etsy flavour renames warmup.micrometer to
				// warmupMicrometer.statistic.count.
				if (sink.snapshot().counters().keySet().stream().anyMatch((k) -> k.startsWith("warmup"))) {
					return;
				}
			}
			System.err.println("warning: probe " + name + " did not reach the sink in " + PROBE_TIMEOUT_MILLIS + " ms");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
