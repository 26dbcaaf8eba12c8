package io.heare.stats.client.soak;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.HttpClient;
import io.heare.stats.client.RetryPolicy;
import io.heare.stats.client.Telemetry;
import io.heare.stats.client.soak.FaultInjectingService.Phase;

/**
 * Two threads record counters, timers and gauges into an {@link HttpClient} while a
 * {@link FaultInjectingService} goes through every failure phase, cycle after cycle, and
 * then recovers; the client is closed at the end. The {@link Report} holds what the
 * recording threads recorded, what the service accepted, the client's telemetry, the
 * requests of each phase, and the heap used after a full GC at the start and the end.
 * Run for seconds by {@code FaultSoakTests}, for minutes by the benchmarks module's
 * {@code FaultSoakMain}.
 */
public final class FaultSoak {

	/** One cycle of phases, each followed by the next. */
	public static final List<Phase> CYCLE = List.of(Phase.OK, Phase.SERVER_ERROR, Phase.TOO_MANY_REQUESTS,
			Phase.UNAUTHORIZED, Phase.HANG, Phase.DROP, Phase.REFUSED);

	private static final int COUNTERS = 20;

	private static final int TIMERS = 5;

	private FaultSoak() {
	}

	/**
	 * Runs the soak.
	 * @param phaseLength how long each phase lasts
	 * @param cycles how many times the phases are gone through
	 * @param recovery how long the service answers 200 at the end, while recording goes on
	 * @param retryPolicy the client's retry policy
	 * @param requestTimeout the client's request timeout (the hang phase outlasts it)
	 * @param progress receives a line at every phase change
	 * @return what happened
	 */
	public static Report run(Duration phaseLength, int cycles, Duration recovery, RetryPolicy retryPolicy,
			Duration requestTimeout, Consumer<String> progress) throws Exception {
		String[] counterNames = new String[COUNTERS];
		for (int i = 0; i < COUNTERS; i++) {
			counterNames[i] = "soak.counter." + i;
		}
		String[] timerNames = new String[TIMERS];
		for (int i = 0; i < TIMERS; i++) {
			timerNames[i] = "soak.timer." + i;
		}
		long heapStart = heapAfterGc();
		try (FaultInjectingService service = new FaultInjectingService()) {
			HttpClient client = HttpClient.builder("127.0.0.1", service.port())
				.secret("soak")
				.retryPolicy(retryPolicy)
				.requestTimeout(requestTimeout)
				.connectTimeout(requestTimeout)
				.maxPendingValues(20_000)
				.closeTimeout(Duration.ofSeconds(10))
				.build();
			AtomicBoolean recording = new AtomicBoolean(true);
			AtomicLong counterIncrements = new AtomicLong();
			AtomicLong timerValues = new AtomicLong();
			AtomicLong gaugeSets = new AtomicLong();
			AtomicLong longestChunkNanos = new AtomicLong();
			List<Throwable> failures = new CopyOnWriteArrayList<>();
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < 2; t++) {
				String gauge = "soak.gauge." + t;
				Thread thread = new Thread(() -> {
					long counters = 0;
					long timers = 0;
					long gauges = 0;
					try {
						for (long i = 0; recording.get(); i++) {
							long start = System.nanoTime();
							for (int j = 0; j < 100; j++) {
								client.incr(counterNames[(int) ((i + j) % COUNTERS)]);
								client.time(timerNames[j % TIMERS], j);
							}
							counters += 100;
							timers += 100;
							if (i % 10 == 0) {
								client.gauge(gauge, i);
								gauges++;
							}
							longestChunkNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
							LockSupport.parkNanos(200_000);
						}
					}
					catch (Throwable ex) {
						failures.add(ex);
					}
					finally {
						counterIncrements.addAndGet(counters);
						timerValues.addAndGet(timers);
						gaugeSets.addAndGet(gauges);
					}
				}, "soak-recorder-" + t);
				thread.start();
				threads.add(thread);
			}
			for (int cycle = 0; cycle < cycles; cycle++) {
				for (Phase phase : CYCLE) {
					service.phase(phase);
					progress.accept("cycle " + (cycle + 1) + ", phase " + phase + ", " + client.telemetry());
					TimeUnit.NANOSECONDS.sleep(phaseLength.toNanos());
				}
			}
			service.phase(Phase.OK);
			progress.accept("recovery, " + client.telemetry());
			TimeUnit.NANOSECONDS.sleep(recovery.toNanos());
			recording.set(false);
			for (Thread thread : threads) {
				thread.join();
			}
			client.close();
			Map<Phase, Long> requests = new EnumMap<>(Phase.class);
			for (Phase phase : Phase.values()) {
				requests.put(phase, service.requests(phase));
			}
			long heapEnd = heapAfterGc();
			return new Report(client.telemetry(), requests, counterIncrements.get(), timerValues.get(),
					gaugeSets.get(), service.counterSum(), service.timerValues(), service.gaugeEntries(), heapStart,
					heapEnd, longestChunkNanos.get(), failures);
		}
	}

	private static long heapAfterGc() {
		System.gc();
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * What a soak run recorded, delivered and dropped.
	 *
	 * @param telemetry the client's telemetry after close
	 * @param requests requests the service received, by the phase it was in
	 * @param counterIncrements increments of one the threads recorded
	 * @param timerValues timer values the threads recorded
	 * @param gaugeSets gauge values the threads set
	 * @param acceptedCounterSum sum of the counters in the batches the service accepted
	 * @param acceptedTimerValues timer values in the batches the service accepted
	 * @param acceptedGaugeEntries gauge entries in the batches the service accepted
	 * @param heapStart heap used after a full GC before the client was built
	 * @param heapEnd heap used after a full GC once the client was closed
	 * @param longestChunkNanos the longest a recording thread took for 100 counter and 100
	 * timer updates
	 * @param failures what the recording threads threw (nothing, when all is well)
	 */
	public record Report(Telemetry telemetry, Map<Phase, Long> requests, long counterIncrements, long timerValues,
			long gaugeSets, long acceptedCounterSum, long acceptedTimerValues, long acceptedGaugeEntries,
			long heapStart, long heapEnd, long longestChunkNanos, List<Throwable> failures) {

		/** Updates the threads recorded. */
		public long updatesRecorded() {
			return this.counterIncrements + this.timerValues + this.gaugeSets;
		}

		/** Gauge updates delivered, by the client's count: what it delivered less what the service counted otherwise. */
		public long gaugeUpdatesDelivered() {
			return this.telemetry.delivered() - this.acceptedCounterSum - this.acceptedTimerValues;
		}

		/** A Markdown summary. */
		public String format() {
			StringBuilder text = new StringBuilder();
			Telemetry t = this.telemetry;
			text.append(String.format("| figure | value |%n|---|---:|%n"));
			row(text, "updates recorded (threads)", updatesRecorded());
			row(text, "updates recorded (client)", t.recorded());
			row(text, "delivered (client)", t.delivered());
			row(text, "counter sum accepted by the service", this.acceptedCounterSum);
			row(text, "timer values accepted by the service", this.acceptedTimerValues);
			row(text, "gauge entries accepted by the service", this.acceptedGaugeEntries);
			for (DropReason reason : DropReason.values()) {
				if (t.dropped(reason) > 0) {
					row(text, "dropped " + reason, t.dropped(reason));
				}
			}
			row(text, "pending after close", t.pending());
			row(text, "unaccounted (recorded - delivered - dropped - pending)", t.unaccounted());
			for (Map.Entry<Phase, Long> entry : this.requests.entrySet()) {
				row(text, "requests in phase " + entry.getKey(), entry.getValue());
			}
			row(text, "retries / failures", t.retries() + " / " + t.failures());
			text.append(String.format("| heap after GC, start / end (MB) | %.1f / %.1f |%n", this.heapStart / 1e6,
					this.heapEnd / 1e6));
			text.append(String.format("| longest 200 record calls (ms) | %.2f |%n", this.longestChunkNanos / 1e6));
			row(text, "recording thread failures", this.failures.size());
			return text.toString();
		}

		private static void row(StringBuilder text, String name, Object value) {
			text.append("| ").append(name).append(" | ");
			text.append((value instanceof Long number) ? String.format("%,d", number) : value).append(" |\n");
		}

	}

}
