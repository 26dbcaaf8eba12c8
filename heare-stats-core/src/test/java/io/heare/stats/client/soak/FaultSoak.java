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
import java.util.function.ToLongFunction;

import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.DropReason;
import io.heare.stats.client.HttpClient;
import io.heare.stats.client.RetryPolicy;
import io.heare.stats.client.Telemetry;
import io.heare.stats.client.soak.FaultInjectingService.Phase;

/**
 * Two threads record counters, timers and gauges while the service goes through every
 * failure phase, cycle after cycle, and then recovers; the clients are closed at the end.
 * Each kind of metric goes through its own {@link HttpClient} to its own
 * {@link FaultInjectingService} (the services change phase together), so that the
 * client's telemetry for one kind can be held exactly against what its service accepted:
 * the delivered counter sum is what was recorded less what was dropped, update for
 * update. The {@link Report} holds, for each kind, what the recording threads recorded,
 * what the service accepted, the client's telemetry and the requests of each phase, and
 * the heap used after a full GC at the start and the end. Run for seconds by
 * {@code FaultSoakTests}, for minutes by the benchmarks module's {@code FaultSoakMain}.
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
	 * @param recovery how long the service answers 200 at the end, while recording goes
	 * on
	 * @param retryPolicy the clients' retry policy
	 * @param requestTimeout the clients' request timeout (the hang phase outlasts it)
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
		try (FaultInjectingService counterService = new FaultInjectingService();
				FaultInjectingService timerService = new FaultInjectingService();
				FaultInjectingService gaugeService = new FaultInjectingService()) {
			List<FaultInjectingService> services = List.of(counterService, timerService, gaugeService);
			StatsClient counterClient = client(counterService, retryPolicy, requestTimeout);
			StatsClient timerClient = client(timerService, retryPolicy, requestTimeout);
			StatsClient gaugeClient = client(gaugeService, retryPolicy, requestTimeout);
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
								counterClient.incr(counterNames[(int) ((i + j) % COUNTERS)]);
								timerClient.time(timerNames[j % TIMERS], j);
							}
							counters += 100;
							timers += 100;
							if (i % 10 == 0) {
								gaugeClient.gauge(gauge, i);
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
					for (FaultInjectingService service : services) {
						service.phase(phase);
					}
					progress.accept(
							"cycle " + (cycle + 1) + ", phase " + phase + ", counters " + counterClient.telemetry());
					TimeUnit.NANOSECONDS.sleep(phaseLength.toNanos());
				}
			}
			for (FaultInjectingService service : services) {
				service.phase(Phase.OK);
			}
			progress.accept("recovery, counters " + counterClient.telemetry());
			TimeUnit.NANOSECONDS.sleep(recovery.toNanos());
			recording.set(false);
			for (Thread thread : threads) {
				thread.join();
			}
			counterClient.close();
			timerClient.close();
			gaugeClient.close();
			long heapEnd = heapAfterGc();
			return new Report(
					new Kind(counterIncrements.get(), counterClient.telemetry(), counterService.counterSum(),
							requests(counterService)),
					new Kind(timerValues.get(), timerClient.telemetry(), timerService.timerValues(),
							requests(timerService)),
					new Kind(gaugeSets.get(), gaugeClient.telemetry(), gaugeService.gaugeEntries(),
							requests(gaugeService)),
					heapStart, heapEnd, longestChunkNanos.get(), failures);
		}
	}

	private static StatsClient client(FaultInjectingService service, RetryPolicy retryPolicy, Duration requestTimeout) {
		return StatsClient.create(StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost("127.0.0.1")
			.destPort(service.port())
			.secret("soak")
			.retryPolicy(retryPolicy)
			.set(StatsClientConfig.HTTP_REQUEST_TIMEOUT, requestTimeout)
			.set(StatsClientConfig.HTTP_CONNECT_TIMEOUT, requestTimeout)
			.set(StatsClientConfig.MAX_PENDING_VALUES, 20_000)
			.set(StatsClientConfig.CLOSE_TIMEOUT, Duration.ofSeconds(10))
			.build());
	}

	private static Map<Phase, Long> requests(FaultInjectingService service) {
		Map<Phase, Long> requests = new EnumMap<>(Phase.class);
		for (Phase phase : Phase.values()) {
			requests.put(phase, service.requests(phase));
		}
		return requests;
	}

	private static long heapAfterGc() {
		System.gc();
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * One kind of metric: what the threads recorded, what its client says became of it,
	 * and what its service accepted.
	 *
	 * @param recorded updates the threads recorded (increments of one, timer values or
	 * gauge sets)
	 * @param telemetry the client's telemetry after close
	 * @param accepted what the service accepted (answered 200): the counter sum, the
	 * timer values, or the gauge entries (a gauge set many times between sends is one
	 * entry)
	 * @param requests requests the service received, by the phase it was in
	 */
	public record Kind(long recorded, Telemetry telemetry, long accepted, Map<Phase, Long> requests) {

		/**
		 * Recorded less dropped, by the client's telemetry: what should have been
		 * delivered.
		 */
		public long recordedLessDropped() {
			return this.recorded - this.telemetry.droppedTotal();
		}

		/**
		 * Whether recorded = delivered + dropped + pending holds, by the threads' and the
		 * client's count.
		 */
		public boolean accountedFor() {
			Telemetry t = this.telemetry;
			return t.recorded() == this.recorded && t.unaccounted() == 0
					&& t.delivered() + t.droppedTotal() + t.pending() == this.recorded;
		}

	}

	/**
	 * What a soak run recorded, delivered and dropped.
	 *
	 * @param counters the counters (increments of one)
	 * @param timers the timer values
	 * @param gauges the gauge sets
	 * @param heapStart heap used after a full GC before the clients were built
	 * @param heapEnd heap used after a full GC once the clients were closed
	 * @param longestChunkNanos the longest a recording thread took for 100 counter and
	 * 100 timer updates
	 * @param failures what the recording threads threw (nothing, when all is well)
	 */
	public record Report(Kind counters, Kind timers, Kind gauges, long heapStart, long heapEnd, long longestChunkNanos,
			List<Throwable> failures) {

		/** Updates the threads recorded. */
		public long updatesRecorded() {
			return this.counters.recorded() + this.timers.recorded() + this.gauges.recorded();
		}

		/**
		 * Whether every update is accounted for and what the services accepted is exactly
		 * what was recorded less what was dropped: the counter sum and the timer values,
		 * and, since gauges merge, at most that many gauge entries.
		 */
		public boolean exact() {
			return this.failures.isEmpty() && this.counters.accountedFor() && this.timers.accountedFor()
					&& this.gauges.accountedFor() && this.counters.telemetry().pending() == 0
					&& this.timers.telemetry().pending() == 0 && this.gauges.telemetry().pending() == 0
					&& this.counters.accepted() == this.counters.recordedLessDropped()
					&& this.timers.accepted() == this.timers.recordedLessDropped()
					&& this.gauges.accepted() <= this.gauges.recordedLessDropped();
		}

		/** A Markdown summary, one column per kind. */
		public String format() {
			StringBuilder text = new StringBuilder();
			text.append(String.format("| figure | counters | timers | gauges |%n|---|---:|---:|---:|%n"));
			row(text, "updates recorded (threads)", Kind::recorded);
			row(text, "updates recorded (client)", (kind) -> kind.telemetry().recorded());
			row(text, "delivered (client)", (kind) -> kind.telemetry().delivered());
			row(text, "accepted by the service (sum / values / entries)", Kind::accepted);
			for (DropReason reason : DropReason.values()) {
				if (this.counters.telemetry().dropped(reason) + this.timers.telemetry().dropped(reason)
						+ this.gauges.telemetry().dropped(reason) > 0) {
					row(text, "dropped " + reason, (kind) -> kind.telemetry().dropped(reason));
				}
			}
			row(text, "recorded - dropped", Kind::recordedLessDropped);
			row(text, "pending after close", (kind) -> kind.telemetry().pending());
			row(text, "unaccounted (recorded - delivered - dropped - pending)",
					(kind) -> kind.telemetry().unaccounted());
			for (Phase phase : Phase.values()) {
				row(text, "requests in phase " + phase, (kind) -> kind.requests().get(phase));
			}
			row(text, "retries", (kind) -> kind.telemetry().retries());
			row(text, "failures", (kind) -> kind.telemetry().failures());
			text.append(String.format("| heap after GC, start / end (MB) | %.1f / %.1f | | |%n", this.heapStart / 1e6,
					this.heapEnd / 1e6));
			text.append(String.format("| longest 200 record calls (ms) | %.2f | | |%n", this.longestChunkNanos / 1e6));
			text.append(String.format("| recording thread failures | %d | | |%n", this.failures.size()));
			return text.toString();
		}

		private void row(StringBuilder text, String name, ToLongFunction<Kind> figure) {
			text.append("| ").append(name);
			for (Kind kind : List.of(this.counters, this.timers, this.gauges)) {
				text.append(String.format(" | %,d", figure.applyAsLong(kind)));
			}
			text.append(" |\n");
		}

	}

}
