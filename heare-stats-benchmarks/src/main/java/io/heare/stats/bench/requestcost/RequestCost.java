package io.heare.stats.bench.requestcost;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.heare.stats.bench.LoopbackHttpSink;
import io.heare.stats.bench.LoopbackStatsdSink;

/**
 * What a request costs the application process, with and without instrumentation: starts
 * {@link CostApp} as a separate JVM in each variant, drives it with {@link LoadGenerator}
 * for a fixed time after a warm-up, and reads the process's CPU time from
 * {@code /proc/<pid>/stat} (user + system, all its threads, GC and the metrics sender
 * included) and the bytes its threads allocated
 * ({@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}, through the
 * application's {@code /internal/snapshot}) before and after the measured window. Runs
 * are interleaved (each round runs every variant once, in a rotating order) and the table
 * gives medians, the spread across rounds, and each variant's added cost as the median of
 * its difference to the baseline of the same round.
 * <p>
 * Variants: {@code none} (our auto-configuration off, Boot's HTTP observation excluded,
 * no metrics export), {@code ours} (our starter over HTTP to a loopback sink, Boot's HTTP
 * observation excluded), {@code micrometer} (Boot's HTTP server observation and
 * Micrometer's {@code @Timed} aspect, exporting to a loopback StatsD port; ours off), and
 * {@code ours-switched} (our starter, its filter switched on and off in short windows
 * while one application runs, "added" being on minus off within that JVM). All run on the
 * same class path. <pre>
 * java -cp CP io.heare.stats.bench.requestcost.RequestCost --app-classpath=CP \
 *     --jdk=17:/usr/lib/jvm/java-17/bin/java --jdk=25vt:/usr/lib/jvm/temurin-25/bin/java \
 *     --rounds=3 --warmup=10 --seconds=15 --connections=8
 * </pre> A {@code --jdk} label ending in {@code vt} runs Tomcat on virtual threads.
 * {@code --app-cpus=0} starts the application under {@code taskset -c 0}; run the driver
 * itself on the other CPUs ({@code taskset -c 1 java ...}).
 * {@code --switch-windows-file=PATH} appends one CSV line per window of the switched
 * variant (requests, CPU per request, the run time by name of every thread but the JIT
 * compiler's and the collector's, the ticks stolen from each processor); its progress
 * line says how the windows' CPU follows the time stolen from the application's
 * processors.
 */
public final class RequestCost {

	// Our starter with its filter switched on and off in one running application
	// (CostApp's SwitchableFilter): "added" is then measured within one JVM.
	static final String SWITCHED = "ours-switched";

	static final String[] VARIANTS = { "none", "ours", "micrometer", SWITCHED };

	// The stretches before and after the switched variant's pairs, with the filter on
	// throughout, over which the metrics threads' cost per request is measured.
	static final int METRICS_STRETCH_SECONDS = 10;

	// Our starter built from another checkout (--other-ours=CLASSPATH), such as main
	// before a change.
	static final String OTHER_OURS = "ours-other";

	private static final String HEARE_FILTER = "io.heare.stats.servlet.HeareStatsServletFilter";

	private static final String OBSERVATION_FILTER = "org.springframework.web.filter.ServerHttpObservationFilter";

	// Every auto-configuration of our starter: with a disabled client
	// (heare.stats.enabled=false) the filter and the advice would still run, into a no-op
	// client.
	private static final String OURS = String.join(",", "io.heare.stats.autoconfigure.HeareStatsAutoConfiguration",
			"io.heare.stats.autoconfigure.HeareStatsHealthAutoConfiguration",
			"io.heare.stats.autoconfigure.aop.HeareStatsAopAutoConfiguration",
			"io.heare.stats.autoconfigure.web.HeareStatsServletAutoConfiguration",
			"io.heare.stats.autoconfigure.web.HeareStatsWebFluxAutoConfiguration",
			"io.heare.stats.autoconfigure.micrometer.HeareMetricsExportAutoConfiguration");

	private static final String BOOT_OBSERVATION = "org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration";

	private static final long CLOCK_TICKS_PER_SECOND = 100;

	// Where the switched variant appends one line per window, when set.
	private static Path windowsFile;

	// The processors whose stolen time the switched variant sets beside each window's
	// CPU: the application's when it is pinned, otherwise all.
	private static int[] applicationCpus = new int[0];

	private RequestCost() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> jdks = new LinkedHashMap<>();
		String classpath = System.getProperty("java.class.path");
		int rounds = 3;
		int warmup = 15;
		int maxWarmup = 60;
		String otherOurs = null;
		int seconds = 15;
		int connections = 8;
		Switching switching = new Switching(2000, 20, 5);
		String heap = "512m";
		List<String> variants = new ArrayList<>(List.of(VARIANTS));
		List<String> appOptions = new ArrayList<>();
		String appCpus = null;
		for (String arg : args) {
			String value = arg.substring(arg.indexOf('=') + 1);
			if (arg.startsWith("--jdk=")) {
				jdks.put(value.substring(0, value.indexOf(':')), value.substring(value.indexOf(':') + 1));
			}
			else if (arg.startsWith("--app-classpath=")) {
				classpath = value.startsWith("@") ? Files.readString(Path.of(value.substring(1))).trim() : value;
			}
			else if (arg.startsWith("--rounds=")) {
				rounds = Integer.parseInt(value);
			}
			else if (arg.startsWith("--warmup=")) {
				warmup = Integer.parseInt(value);
			}
			else if (arg.startsWith("--max-warmup=")) {
				maxWarmup = Integer.parseInt(value);
			}
			else if (arg.startsWith("--other-ours=")) {
				otherOurs = value.startsWith("@") ? Files.readString(Path.of(value.substring(1))).trim() : value;
			}
			else if (arg.startsWith("--seconds=")) {
				seconds = Integer.parseInt(value);
			}
			else if (arg.startsWith("--connections=")) {
				connections = Integer.parseInt(value);
			}
			else if (arg.startsWith("--variants=")) {
				variants = new ArrayList<>(List.of(value.split(",")));
			}
			else if (arg.startsWith("--app-option=")) {
				appOptions.add(value);
			}
			else if (arg.startsWith("--heap=")) {
				heap = value;
			}
			else if (arg.startsWith("--app-cpus=")) {
				appCpus = value;
			}
			else if (arg.startsWith("--switch-pairs=")) {
				switching = new Switching(Integer.parseInt(value), switching.windowMillis(), switching.settleMillis());
			}
			else if (arg.startsWith("--switch-window-millis=")) {
				switching = new Switching(switching.pairs(), Integer.parseInt(value), switching.settleMillis());
			}
			else if (arg.startsWith("--switch-windows-file=")) {
				windowsFile = Path.of(value);
			}
			else if (arg.startsWith("--switch-settle-millis=")) {
				switching = new Switching(switching.pairs(), switching.windowMillis(), Integer.parseInt(value));
			}
			else {
				throw new IllegalArgumentException("unknown argument " + arg);
			}
		}
		if (appCpus != null) {
			applicationCpus = cpuList(appCpus);
		}
		if (jdks.isEmpty()) {
			jdks.put(Runtime.version().feature() + "",
					Path.of(System.getProperty("java.home"), "bin", "java").toString());
		}
		if (otherOurs != null && !variants.contains(OTHER_OURS)) {
			variants.add(OTHER_OURS);
		}
		long started = System.nanoTime();
		Map<String, Map<String, List<Sample>>> results = new LinkedHashMap<>();
		try (LoopbackHttpSink httpSink = new LoopbackHttpSink();
				LoopbackStatsdSink statsdSink = LoopbackStatsdSink.drainOnly()) {
			for (int round = 0; round < rounds; round++) {
				for (Map.Entry<String, String> jdk : jdks.entrySet()) {
					for (int i = 0; i < variants.size(); i++) {
						String variant = variants.get((i + round) % variants.size());
						// Micrometer's StatsD sink drains its backlog on the driver's
						// CPU for seconds after its application stops: the next run
						// waits for it, or the variant after Micrometer runs slower.
						statsdSink.awaitQuiet(2000, 60_000);
						Sample sample = measure(jdk.getKey(), jdk.getValue(), variant,
								variant.equals(OTHER_OURS) ? otherOurs : classpath, heap, appOptions, appCpus, httpSink,
								statsdSink, warmup, maxWarmup, seconds, connections, switching);
						System.err.printf(Locale.ROOT, "round %d %-5s %-11s %s%n", round + 1, jdk.getKey(), variant,
								sample);
						results.computeIfAbsent(jdk.getKey(), (k) -> new LinkedHashMap<>())
							.computeIfAbsent(variant, (k) -> new ArrayList<>())
							.add(sample);
					}
				}
			}
		}
		System.out
			.println(table(results, variants, rounds, warmup, maxWarmup, seconds, connections, appCpus, switching));
		System.out.printf(Locale.ROOT, "%d rounds in %d s%n", rounds,
				Duration.ofNanos(System.nanoTime() - started).toSeconds());
	}

	static Sample measure(String label, String java, String variant, String classpath, String heap,
			List<String> appOptions, String appCpus, LoopbackHttpSink httpSink, LoopbackStatsdSink statsdSink,
			int warmup, int maxWarmup, int seconds, int connections, Switching switching) throws Exception {
		int port = freePort();
		List<String> command = new ArrayList<>();
		if (appCpus != null) {
			// The application on CPUs of its own, the driver and the sinks on the others:
			// the application's CPU time is then its own work, not the driver's
			// contention.
			command.addAll(List.of("taskset", "-c", appCpus));
		}
		command.addAll(List.of(java, "-Xms" + heap, "-Xmx" + heap));
		if (variant.equals(SWITCHED)) {
			// The switched variant reports the compiler threads' run time apart: none of
			// them may end and take its time along.
			command.add("-XX:-UseDynamicNumberOfCompilerThreads");
		}
		command.addAll(appOptions);
		command.addAll(List.of("-cp", classpath, CostApp.class.getName(), "--server.port=" + port,
				"--server.address=127.0.0.1", "--server.tomcat.max-keep-alive-requests=-1",
				"--spring.main.banner-mode=off", "--management.defaults.metrics.export.enabled=false"));
		boolean virtual = label.endsWith("vt");
		command.add("--spring.threads.virtual.enabled=" + virtual);
		switch (variant) {
			case "none" -> {
				command.add("--spring.autoconfigure.exclude=" + OURS + "," + BOOT_OBSERVATION);
			}
			case "ours", OTHER_OURS, SWITCHED -> {
				command.add("--cost.switchable=" + variant.equals(SWITCHED));
				command.add("--heare.stats.protocol=http");
				command.add("--heare.stats.dest-host=" + httpSink.host());
				command.add("--heare.stats.dest-port=" + httpSink.port());
				command.add("--heare.stats.secret=request-cost");
				command.add("--spring.autoconfigure.exclude=" + BOOT_OBSERVATION);
			}
			case "micrometer" -> {
				command.add("--spring.autoconfigure.exclude=" + OURS);
				command.add("--management.statsd.metrics.export.enabled=true");
				command.add("--management.statsd.metrics.export.host=" + statsdSink.host());
				command.add("--management.statsd.metrics.export.port=" + statsdSink.port());
				command.add("--management.observations.annotations.enabled=true");
			}
			default -> throw new IllegalArgumentException(variant);
		}
		Path log = Files.createTempFile("request-cost-" + label + "-" + variant + "-", ".log");
		Process app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		Thread stopApp = new Thread(app::destroyForcibly);
		Runtime.getRuntime().addShutdownHook(stopApp);
		boolean measured = false;
		try {
			Map<String, String> first = awaitReady(app, port, log);
			check(variant, virtual, first, log);
			try (LoadGenerator load = new LoadGenerator(port, connections)) {
				boolean switched = variant.equals(SWITCHED);
				int warmedUp = warmUp(app, port, load, warmup, maxWarmup, switched);
				if (switched) {
					Sample sample = measureSwitched(label, app, port, load, httpSink, switching, warmedUp);
					measured = true;
					return sample;
				}
				long requests0 = load.completed();
				long cpu0 = cpuTicks(app.pid());
				Map<String, String> before = snapshot(port);
				long posts0 = httpSink.requests();
				long[] machine0 = machineTicks();
				long t0 = System.nanoTime();
				Thread.sleep(seconds * 1000L);
				long requests1 = load.completed();
				long cpu1 = cpuTicks(app.pid());
				Map<String, String> after = snapshot(port);
				long posts1 = httpSink.requests();
				long[] machine1 = machineTicks();
				long t1 = System.nanoTime();
				long requests = requests1 - requests0;
				double cpuNanos = (cpu1 - cpu0) * (1_000_000_000d / CLOCK_TICKS_PER_SECOND);
				long allocated = Long.parseLong(after.get("allocated")) - Long.parseLong(before.get("allocated"));
				long metricsCpu = Long.parseLong(after.get("metricsCpu")) - Long.parseLong(before.get("metricsCpu"));
				long metricsAllocated = Long.parseLong(after.get("metricsAllocated"))
						- Long.parseLong(before.get("metricsAllocated"));
				double elapsed = (t1 - t0) / 1e9;
				measured = true;
				return new Sample(requests, cpuNanos / requests / 1000d, (double) allocated / requests,
						requests / elapsed, loadAverage(), stealPercent(machine0, machine1), warmedUp,
						metricsCpu / 1000d / requests, (double) metricsAllocated / requests,
						(posts1 - posts0) / elapsed, null, null, Double.NaN, null);
			}
		}
		finally {
			Runtime.getRuntime().removeShutdownHook(stopApp);
			app.destroy();
			if (!app.waitFor(20, TimeUnit.SECONDS)) {
				app.destroyForcibly().waitFor();
			}
			if (measured) {
				Files.deleteIfExists(log);
			}
			else {
				System.err.println("the application's log: " + log);
			}
		}
	}

	// At least minSeconds, then 5 s windows until the JIT has settled (it compiled for
	// less than 2% of a window) and two windows in a row agree on the CPU per request
	// within 5%, at most maxSeconds. On a busy machine the JIT's threads get little CPU,
	// and the code runs interpreted for longer. With alternate, the application's switch
	// flips every 5 s, so that the code of both states is compiled before measuring, and
	// a window is compared with the last one in the same state. Every 5 s it also asks
	// for the bytes allocated, as the switched measurement does: every endpoint the
	// measurement calls has then been served before it starts, and a route served for the
	// first time makes the JIT drop compiled code of the filter's (a branch it had never
	// seen taken) and run it slower until it has compiled it again. Returns the seconds
	// it took.
	private static int warmUp(Process app, int port, LoadGenerator load, int minSeconds, int maxSeconds,
			boolean alternate) throws Exception {
		long start = System.nanoTime();
		boolean on = true;
		for (int slept = 0; slept < minSeconds; slept += 5) {
			Thread.sleep(Math.min(5, minSeconds - slept) * 1000L);
			allocated(port);
			if (alternate) {
				on = !on;
				switchTo(port, on);
			}
		}
		double[] previous = { Double.NaN, Double.NaN };
		while (System.nanoTime() - start < maxSeconds * 1_000_000_000L) {
			int state = (alternate && on) ? 1 : 0;
			long requests = load.completed();
			long ticks = cpuTicks(app.pid());
			long compiling = Long.parseLong(snapshot(port).get("compiling"));
			Thread.sleep(5000);
			allocated(port);
			double perRequest = (double) (cpuTicks(app.pid()) - ticks) / Math.max(1, load.completed() - requests);
			long compiled = Long.parseLong(snapshot(port).get("compiling")) - compiling;
			if (alternate) {
				on = !on;
				switchTo(port, on);
			}
			if (compiled < 100 && Math.abs(perRequest - previous[state]) <= 0.05 * previous[state]) {
				break;
			}
			previous[state] = perRequest;
		}
		if (alternate) {
			switchTo(port, true);
		}
		return (int) Duration.ofNanos(System.nanoTime() - start).toSeconds();
	}

	// Pairs of short windows, one with our filter on and one with it off, in alternating
	// order (on-off, off-on, ...) so that a steady drift of the machine adds to neither
	// state, and short, so that the machine's swings fall on both halves of a pair: on a
	// shared host the CPU per request of two windows differs about as much whether they
	// last 20 ms or 300 ms, so many short pairs narrow the median more than a few long
	// ones in the same time. Each window starts a settle time after its switch, once the
	// requests in flight at the switch have completed. CPU comes from the threads'
	// nanosecond run times (/proc/<pid>/task/<tid>/schedstat), allocation from the
	// application's ThreadMXBean. Three kinds of thread are measured apart. The
	// collector's: a collection lands in one window of a pair or the other and moves
	// it by about a microsecond per request, while what it costs follows the bytes
	// allocated, which every window measures exactly, so each window is charged the
	// collector's run time per byte over the whole run, times its own bytes. The metrics
	// threads': the sender posts what the filter recorded once per linger, in whichever
	// window follows, so each on-window is charged their run time and bytes per request
	// over two stretches with the filter on throughout, one before the pairs and one
	// after, which is what an application that records every request pays. Their run
	// time over the pairs per request recorded while the filter was on would charge twice
	// the part of their work that follows the time rather than the requests (a post per
	// linger, a drain of every lane), since the filter records only half the requests; it
	// is given beside. The JIT compiler's, which compile in bursts whichever state the
	// filter is in, are left out. The sample's CPU
	// and allocation are the median on-window's, its "added" figures one per pair, on
	// minus off.
	private static Sample measureSwitched(String label, Process app, int port, LoadGenerator load,
			LoopbackHttpSink httpSink, Switching switching, int warmedUp) throws Exception {
		int pairs = switching.pairs();
		double[] onCpu = new double[pairs];
		double[] offCpu = new double[pairs];
		double[] onBytes = new double[pairs];
		double[] offBytes = new double[pairs];
		double[] onRate = new double[pairs];
		long[] onSteal = new long[pairs];
		long[] offSteal = new long[pairs];
		// Requests and time while the filter was on, from the first snapshot to the
		// last (the warm-up leaves it on), settles and reads between windows included:
		// what the metrics threads' work is spread over.
		long recordedWhileOn = 0;
		long nanosOn = 0;
		boolean wasOn = true;
		long jitNanos = 0;
		long collectorNanos = 0;
		long metricsNanos = 0;
		long bytesAllocated = 0;
		long requests = 0;
		MetricsStretch before = metricsStretch(port, load, switching);
		Map<String, String> first = snapshot(port);
		long posts0 = httpSink.requests();
		long[] machine0 = machineTicks();
		StringBuilder windows = new StringBuilder();
		long runStart = System.nanoTime();
		long stateSince = runStart;
		long completedSince = load.completed();
		for (int pair = 0; pair < pairs; pair++) {
			for (int half = 0; half < 2; half++) {
				boolean on = (half == 0) == (pair % 2 == 0);
				if (wasOn) {
					recordedWhileOn += load.completed() - completedSince;
					nanosOn += System.nanoTime() - stateSince;
				}
				switchTo(port, on);
				wasOn = on;
				stateSince = System.nanoTime();
				completedSince = load.completed();
				Thread.sleep(switching.settleMillis());
				long requests0 = load.completed();
				RunTimes times0 = RunTimes.of(app.pid());
				long[] allocated0 = allocated(port);
				long[] steal0 = stealTicksPerCpu();
				long t0 = System.nanoTime();
				Thread.sleep(switching.windowMillis());
				long done = load.completed() - requests0;
				RunTimes times = RunTimes.of(app.pid()).minus(times0);
				long[] steal = stealTicksPerCpu();
				long[] allocatedNow = allocated(port);
				long allocated = allocatedNow[0] - allocated0[0];
				long completedInApp = allocatedNow[1] - allocated0[1];
				double elapsed = (System.nanoTime() - t0) / 1e9;
				if (done == 0) {
					throw new IllegalStateException("no request completed in a " + switching.windowMillis()
							+ " ms window: the application or the load generator stalled");
				}
				double cpuMicros = times.others() / 1000d / done;
				metricsNanos += times.metrics();
				double bytes = (double) allocated / Math.max(completedInApp, 1);
				requests += done;
				windows.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.3f,%.1f,%d,%d,%d,%d,%s,%s%n", label, pair,
						on ? "on" : "off", (t0 - runStart) / 1_000_000, done, cpuMicros, bytes, times.others() / 1000,
						times.collector() / 1000, times.compiler() / 1000, times.metrics() / 1000,
						stealDelta(steal0, steal), times.byNameMicros()));
				jitNanos += times.compiler();
				collectorNanos += times.collector();
				bytesAllocated += allocated;
				if (on) {
					onCpu[pair] = cpuMicros;
					onBytes[pair] = bytes;
					onRate[pair] = done / elapsed;
					onSteal[pair] = stolenFromApplication(steal0, steal);
				}
				else {
					offCpu[pair] = cpuMicros;
					offBytes[pair] = bytes;
					offSteal[pair] = stolenFromApplication(steal0, steal);
				}
			}
		}
		long[] machine1 = machineTicks();
		if (wasOn) {
			recordedWhileOn += load.completed() - completedSince;
			nanosOn += System.nanoTime() - stateSince;
		}
		Map<String, String> last = snapshot(port);
		MetricsStretch after = metricsStretch(port, load, switching);
		if (windowsFile != null) {
			if (!Files.exists(windowsFile)) {
				Files.writeString(windowsFile, "jdk,pair,state,start_ms,requests,cpu_us_per_request,bytes_per_request,"
						+ "others_us,collector_us,compiler_us,metrics_us,steal_ticks_per_cpu,threads_us_by_name\n");
			}
			Files.writeString(windowsFile, windows, StandardOpenOption.APPEND);
		}
		// The metrics threads' figures per request with the filter on throughout, before
		// and after the pairs together, and over the pairs per request recorded while it
		// was on.
		long stretchRequests = before.requests() + after.requests();
		double metricsCpu = (before.cpuNanos() + after.cpuNanos()) / 1000d / stretchRequests;
		double metricsBytes = (double) (before.bytes() + after.bytes()) / stretchRequests;
		double pairsMetricsCpu = (Long.parseLong(last.get("metricsCpu")) - Long.parseLong(first.get("metricsCpu")))
				/ 1000d / recordedWhileOn;
		double pairsMetricsBytes = (double) (Long.parseLong(last.get("metricsAllocated"))
				- Long.parseLong(first.get("metricsAllocated"))) / recordedWhileOn;
		double collectorMicrosPerByte = collectorNanos / 1000d / Math.max(bytesAllocated, 1L);
		double[] addedCpu = new double[pairs];
		double[] addedBytes = new double[pairs];
		double[] addedCpuPairsCharge = new double[pairs];
		for (int pair = 0; pair < pairs; pair++) {
			double off = offCpu[pair] + collectorMicrosPerByte * offBytes[pair];
			addedCpu[pair] = onCpu[pair] + metricsCpu + collectorMicrosPerByte * (onBytes[pair] + metricsBytes) - off;
			addedCpuPairsCharge[pair] = onCpu[pair] + pairsMetricsCpu
					+ collectorMicrosPerByte * (onBytes[pair] + pairsMetricsBytes) - off;
			onBytes[pair] += metricsBytes;
			onCpu[pair] += metricsCpu + collectorMicrosPerByte * onBytes[pair];
			offCpu[pair] = off;
			addedBytes[pair] = onBytes[pair] - offBytes[pair];
		}
		System.err.printf(Locale.ROOT,
				"  %d pairs: CPU added %s µs (quartiles), allocation added %s B; the JIT's threads %.2f µs "
						+ "per request, not counted; the collector's %.2f µs per request, %.3f µs per KB, "
						+ "charged by bytes; the metrics threads' %.2f µs and %.1f B per request over %d s with "
						+ "the filter on before and after the pairs, charged to the on-windows (over the pairs %.2f µs and %.1f B per request "
						+ "recorded, which charged instead would make the CPU added %s; %.2f µs per request in the "
						+ "windows' own run times)%n",
				pairs, quartiles(addedCpu, "%+.2f"), quartiles(addedBytes, "%+.0f"), jitNanos / 1000d / requests,
				collectorNanos / 1000d / requests, collectorMicrosPerByte * 1024, metricsCpu, metricsBytes,
				2 * METRICS_STRETCH_SECONDS, pairsMetricsCpu, pairsMetricsBytes,
				quartiles(addedCpuPairsCharge, "%+.2f"), metricsNanos / 1000d / requests);
		System.err.println("  " + stealEffect(onCpu, offCpu, onSteal, offSteal, addedCpu));
		return new Sample(requests, median(onCpu), median(onBytes), median(onRate), loadAverage(),
				stealPercent(machine0, machine1), warmedUp, metricsCpu, metricsBytes,
				(httpSink.requests() - posts0) / (nanosOn / 1e9), addedCpu, addedBytes, pairsMetricsCpu,
				addedCpuPairsCharge);
	}

	// The metrics threads' run time and bytes, and the requests served, over a stretch
	// with the filter on throughout.
	private static MetricsStretch metricsStretch(int port, LoadGenerator load, Switching switching) throws Exception {
		switchTo(port, true);
		Thread.sleep(switching.settleMillis());
		Map<String, String> start = snapshot(port);
		long requests = load.completed();
		Thread.sleep(METRICS_STRETCH_SECONDS * 1000L);
		Map<String, String> end = snapshot(port);
		requests = load.completed() - requests;
		return new MetricsStretch(requests,
				Long.parseLong(end.get("metricsCpu")) - Long.parseLong(start.get("metricsCpu")),
				Long.parseLong(end.get("metricsAllocated")) - Long.parseLong(start.get("metricsAllocated")));
	}

	private record MetricsStretch(long requests, long cpuNanos, long bytes) {
	}

	// Each round's median added CPU: pairs of one JVM share its compiled code, and the
	// interval over all pairs does not show how much one JVM differs from the next.
	private static String perRound(List<Sample> samples) {
		StringBuilder out = new StringBuilder();
		for (Sample sample : samples) {
			out.append((out.length() > 0) ? ", " : "")
				.append(String.format(Locale.ROOT, "%+.2f", median(sample.addedCpuMicros())));
		}
		return out.toString();
	}

	private static String quartiles(double[] values, String format) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return String.format(Locale.ROOT, format + " / " + format + " / " + format, sorted[n / 4], median(sorted),
				sorted[(3 * n) / 4]);
	}

	// The bytes the application's threads but the metrics threads have allocated so far,
	// and the requests its switchable filter has completed (0 without one), read at one
	// moment.
	private static long[] allocated(int port) throws IOException {
		String response = request(port, "/internal/allocated");
		String[] fields = response.substring(response.indexOf("\r\n\r\n") + 4).trim().split(" ");
		return new long[] { Long.parseLong(fields[0]), Long.parseLong(fields[1]) };
	}

	/**
	 * Nanoseconds the application's threads have run: the JIT compiler's threads, the
	 * garbage collector's (the VM thread, where the serial collector of a one-CPU JVM
	 * runs, and any GC worker threads), the threads that deliver metrics
	 * ({@link CostApp#isMetricsThread}), and the others. A thread that ends takes its
	 * time along, which the application's steady load and fixed number of compiler
	 * threads keep from happening within a window. The by-name map has the metrics
	 * threads and the others.
	 */
	record RunTimes(long compiler, long collector, long metrics, long others, Map<String, Long> byName) {

		static RunTimes of(long pid) throws IOException {
			long compiler = 0;
			long collector = 0;
			long metrics = 0;
			long others = 0;
			Map<String, Long> byName = new TreeMap<>();
			int read = 0;
			try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
				for (Path task : tasks) {
					String schedstat;
					String name;
					try {
						schedstat = Files.readString(task.resolve("schedstat"));
						name = Files.readString(task.resolve("comm")).trim();
					}
					catch (IOException ex) {
						// The thread ended while being read.
						continue;
					}
					long nanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
					if (name.contains("CompilerThre")) {
						compiler += nanos;
					}
					else if (name.startsWith("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
						collector += nanos;
					}
					else {
						if (CostApp.isMetricsThread(name)) {
							metrics += nanos;
						}
						else {
							others += nanos;
						}
						// Threads of one pool together: their names differ in a number.
						byName.merge(name.replaceAll("[0-9]+", "#"), nanos, Long::sum);
					}
					read++;
				}
			}
			if (read == 0) {
				throw new IllegalStateException(
						"could not read the run time of any thread of process " + pid + " from /proc/<pid>/task");
			}
			return new RunTimes(compiler, collector, metrics, others, byName);
		}

		RunTimes minus(RunTimes earlier) {
			Map<String, Long> byName = new TreeMap<>(this.byName);
			earlier.byName.forEach((name, nanos) -> byName.merge(name, -nanos, Long::sum));
			return new RunTimes(this.compiler - earlier.compiler, this.collector - earlier.collector,
					this.metrics - earlier.metrics, this.others - earlier.others, byName);
		}

		// The run time by name of the metrics threads and the others, in microseconds,
		// those that ran at all.
		String byNameMicros() {
			StringBuilder out = new StringBuilder();
			this.byName.forEach((name, nanos) -> {
				if (nanos >= 1000) {
					out.append((out.length() > 0) ? ";" : "")
						.append(name.replace(',', ' '))
						.append('=')
						.append(nanos / 1000);
				}
			});
			return out.toString();
		}

	}

	static void switchTo(int port, boolean on) throws IOException {
		request(port, "/internal/switch?on=" + on);
	}

	// What the variant claims must be what runs: Boot's observation filter genuinely off
	// outside the micrometer variant, our filter only in ours, the controller advised
	// when an aspect is on, Tomcat's threads virtual when asked.
	private static void check(String variant, boolean virtual, Map<String, String> snapshot, Path log)
			throws IOException {
		String filters = snapshot.get("filters");
		boolean heare = filters.contains(HEARE_FILTER);
		boolean switchable = filters.contains(SwitchableFilter.class.getName());
		boolean observation = filters.contains(OBSERVATION_FILTER);
		boolean advised = Boolean.parseBoolean(snapshot.get("advised"));
		boolean virtualThread = "java.lang.VirtualThread".equals(snapshot.get("thread"));
		boolean expected = switch (variant) {
			case "none" -> !heare && !switchable && !observation && !advised;
			// The servlet filter measures the controller's @Timed method: no proxy.
			case "ours" -> heare && !switchable && !observation && !advised;
			case SWITCHED -> switchable && !heare && !observation && !advised;
			// Builds before that proxied the controller.
			case OTHER_OURS -> heare && !switchable && !observation;
			default -> !heare && !switchable && observation && advised;
		};
		if (!expected || virtual != virtualThread) {
			throw new IllegalStateException(
					"variant " + variant + " is not what it claims: " + snapshot + "\n" + Files.readString(log));
		}
	}

	private static Map<String, String> awaitReady(Process app, int port, Path log) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < deadline) {
			if (!app.isAlive()) {
				throw new IllegalStateException("the application exited:\n" + Files.readString(log));
			}
			try {
				return snapshot(port);
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException("the application did not start in 120 s:\n" + Files.readString(log));
	}

	static Map<String, String> snapshot(int port) throws IOException {
		String response = request(port, "/internal/snapshot");
		Map<String, String> values = new LinkedHashMap<>();
		response.substring(response.indexOf("\r\n\r\n") + 4).lines().forEach((line) -> {
			int space = line.indexOf(' ');
			if (space > 0) {
				values.put(line.substring(0, space), line.substring(space + 1));
			}
		});
		if (!values.containsKey("allocated")) {
			throw new IOException("not ready: " + response);
		}
		return values;
	}

	private static String request(int port, String path) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
			if (!response.startsWith("HTTP/1.1 200")) {
				throw new IOException("not ready: " + response.lines().findFirst().orElse(""));
			}
			return response;
		}
	}

	// utime + stime of the whole process, fields 14 and 15 of /proc/<pid>/stat.
	static long cpuTicks(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	// The machine's stolen and total processor time so far, in clock ticks over all
	// processors. Stolen time is time the hypervisor gave a processor of this machine to
	// another guest while it had work.
	static long[] machineTicks() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			// user, nice, system, idle, iowait, irq, softirq, steal (guest time is in
			// user).
			for (int i = 1; i <= 8 && i < fields.length; i++) {
				total += Long.parseLong(fields[i]);
			}
			return new long[] { (fields.length > 8) ? Long.parseLong(fields[8]) : 0, total };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { 0, 0 };
		}
	}

	// Each processor's stolen time so far, in clock ticks (10 ms), from /proc/stat's cpuN
	// lines: where the hypervisor took the application's processor, and when.
	static long[] stealTicksPerCpu() {
		try {
			return Files.readAllLines(Path.of("/proc/stat"))
				.stream()
				.filter((line) -> line.startsWith("cpu") && Character.isDigit(line.charAt(3)))
				.mapToLong((line) -> {
					String[] fields = line.trim().split("\\s+");
					return (fields.length > 8) ? Long.parseLong(fields[8]) : 0;
				})
				.toArray();
		}
		catch (IOException | RuntimeException ex) {
			return new long[0];
		}
	}

	// "0", "0,1", "0-3": the processors taskset is given.
	static int[] cpuList(String cpus) {
		List<Integer> list = new ArrayList<>();
		for (String part : cpus.split(",")) {
			String[] range = part.trim().split("-");
			int from = Integer.parseInt(range[0].trim());
			int to = (range.length > 1) ? Integer.parseInt(range[1].trim()) : from;
			for (int cpu = from; cpu <= to; cpu++) {
				list.add(cpu);
			}
		}
		return list.stream().mapToInt(Integer::intValue).toArray();
	}

	private static long stolenFromApplication(long[] before, long[] after) {
		long stolen = 0;
		for (int cpu = 0; cpu < Math.min(before.length, after.length); cpu++) {
			if (isApplicationCpu(cpu)) {
				stolen += after[cpu] - before[cpu];
			}
		}
		return stolen;
	}

	private static boolean isApplicationCpu(int cpu) {
		if (applicationCpus.length == 0) {
			return true;
		}
		for (int applicationCpu : applicationCpus) {
			if (applicationCpu == cpu) {
				return true;
			}
		}
		return false;
	}

	// How much of the windows' spread follows the hypervisor: the correlation of each
	// window's CPU per request with the time stolen from the application's processors
	// while it ran, and the pairs in which neither window lost any.
	static String stealEffect(double[] onCpu, double[] offCpu, long[] onSteal, long[] offSteal, double[] addedCpu) {
		int n = onCpu.length;
		double[] cpu = new double[2 * n];
		double[] stolen = new double[2 * n];
		List<Double> unstolen = new ArrayList<>();
		for (int pair = 0; pair < n; pair++) {
			cpu[2 * pair] = onCpu[pair];
			cpu[2 * pair + 1] = offCpu[pair];
			stolen[2 * pair] = onSteal[pair];
			stolen[2 * pair + 1] = offSteal[pair];
			if (onSteal[pair] == 0 && offSteal[pair] == 0) {
				unstolen.add(addedCpu[pair]);
			}
		}
		double meanCpu = Arrays.stream(cpu).average().orElse(0);
		double meanStolen = Arrays.stream(stolen).average().orElse(0);
		double covariance = 0;
		double cpuSquares = 0;
		double stolenSquares = 0;
		int windowsStolenFrom = 0;
		for (int i = 0; i < cpu.length; i++) {
			covariance += (cpu[i] - meanCpu) * (stolen[i] - meanStolen);
			cpuSquares += (cpu[i] - meanCpu) * (cpu[i] - meanCpu);
			stolenSquares += (stolen[i] - meanStolen) * (stolen[i] - meanStolen);
			windowsStolenFrom += (stolen[i] > 0) ? 1 : 0;
		}
		if (stolenSquares == 0) {
			return "no window lost time to the hypervisor on the application's processors";
		}
		String unstolenPairs = unstolen.isEmpty() ? "none"
				: quartiles(unstolen.stream().mapToDouble(Double::doubleValue).toArray(), "%+.2f")
						+ " µs added (quartiles)";
		return String.format(Locale.ROOT,
				"%d of %d windows lost time to the hypervisor on the application's processors; a window's CPU per "
						+ "request against the ticks stolen: r = %.2f (r² %.2f), %+.2f µs per 10 ms tick; "
						+ "the %d pairs with none stolen in either window: %s",
				windowsStolenFrom, cpu.length, covariance / Math.sqrt(cpuSquares * stolenSquares),
				covariance * covariance / (cpuSquares * stolenSquares), covariance / stolenSquares, unstolen.size(),
				unstolenPairs);
	}

	private static String stealDelta(long[] before, long[] after) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < Math.min(before.length, after.length); i++) {
			out.append((i > 0) ? ";" : "").append(after[i] - before[i]);
		}
		return out.toString();
	}

	// The share of the machine's time between the two readings that the hypervisor took
	// (steal): on a shared host, a source of noise that is not the run's own.
	static double stealPercent(long[] before, long[] after) {
		long total = after[1] - before[1];
		return (total > 0) ? 100d * (after[0] - before[0]) / total : Double.NaN;
	}

	static double loadAverage() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static String table(Map<String, Map<String, List<Sample>>> results, List<String> variants, int rounds, int warmup,
			int maxWarmup, int seconds, int connections, String appCpus, Switching switching) {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"%d interleaved rounds; per run %d-%d s warm-up (until the CPU per request settles), %d s measured, "
						+ "%d keep-alive connections; %s"
						+ "median [min-max] over rounds; \"added\" is the median of the per-round difference to "
						+ "no metrics%n%n",
				rounds, warmup, maxWarmup, seconds, connections, (appCpus != null)
						? "the application on CPU " + appCpus + ", the driver and sinks on the others; " : ""));
		if (variants.contains(SWITCHED)) {
			out.append(String.format(Locale.ROOT,
					"The switched row is one application per round whose filter is switched on and off while it "
							+ "runs: %d pairs of %d ms windows (each %d ms after its switch), on-off and off-on in "
							+ "turn; its figures are the on windows', its \"added\" the median over the pairs of all "
							+ "rounds of on minus off, with the 95%% confidence interval of that median and each "
							+ "round's own median. Its CPU is "
							+ "its threads' run time without the JIT compiler's threads, which compile in bursts long "
							+ "after the warm-up, whichever state the filter is in; the garbage collector's run "
							+ "time is charged to each window by the bytes it allocated (the collector's time per "
							+ "byte over the run), since a collection lands in one window of a pair or the "
							+ "other; the metrics threads' run time and bytes per request over %d s before the "
							+ "pairs and %d s after them, with the filter on throughout, are charged to each on-window, since the "
							+ "sender posts what one window recorded in a later one: over the pairs they did the "
							+ "work of half the requests in the whole time, and charged per request recorded then "
							+ "(given below the table) they would count twice the part of their work that follows "
							+ "the time rather than the requests.%n%n",
					switching.pairs(), switching.windowMillis(), switching.settleMillis(), METRICS_STRETCH_SECONDS,
					METRICS_STRETCH_SECONDS));
		}
		out.append(
				"| | CPU per request | added | allocated per request | added | requests/s | warm-up s | load avg | steal % |\n");
		out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Map.Entry<String, Map<String, List<Sample>>> jdk : results.entrySet()) {
			List<Sample> base = jdk.getValue().get("none");
			for (String variant : variants) {
				List<Sample> samples = jdk.getValue().get(variant);
				if (samples == null) {
					continue;
				}
				double[] cpu = samples.stream().mapToDouble(Sample::cpuMicros).toArray();
				double[] bytes = samples.stream().mapToDouble(Sample::bytes).toArray();
				double[] rate = samples.stream().mapToDouble(Sample::rate).toArray();
				double[] load = samples.stream().mapToDouble(Sample::load).toArray();
				double[] steal = samples.stream().mapToDouble(Sample::steal).toArray();
				double[] warm = samples.stream().mapToDouble(Sample::warmup).toArray();
				String addedCpu = "";
				String addedBytes = "";
				if (variant.equals(SWITCHED)) {
					double[] dc = samples.stream().flatMapToDouble((s) -> Arrays.stream(s.addedCpuMicros())).toArray();
					double[] db = samples.stream().flatMapToDouble((s) -> Arrays.stream(s.addedBytes())).toArray();
					addedCpu = String.format(Locale.ROOT, "%+.2f µs (CI %s; per round %s)", median(dc),
							medianInterval(dc, "%+.2f"), perRound(samples));
					addedBytes = String.format(Locale.ROOT, "%+.0f B (CI %s)", median(db), medianInterval(db, "%+.0f"));
				}
				else if (!variant.equals("none") && base != null) {
					double[] dc = new double[samples.size()];
					double[] db = new double[samples.size()];
					for (int i = 0; i < dc.length; i++) {
						dc[i] = samples.get(i).cpuMicros() - base.get(i).cpuMicros();
						db[i] = samples.get(i).bytes() - base.get(i).bytes();
					}
					addedCpu = String.format(Locale.ROOT, "%+.2f µs [%+.2f..%+.2f]", median(dc), min(dc), max(dc));
					addedBytes = String.format(Locale.ROOT, "%+.0f B [%+.0f..%+.0f]", median(db), min(db), max(db));
				}
				out.append(String.format(Locale.ROOT,
						"| %s, %s | %.2f µs [%.2f-%.2f] | %s | %.0f B [%.0f-%.0f] | %s | %.0f | %.0f-%.0f | %.1f-%.1f | %.1f-%.1f |%n",
						label(variant), describe(jdk.getKey()), median(cpu), min(cpu), max(cpu), addedCpu,
						median(bytes), min(bytes), max(bytes), addedBytes, median(rate), min(warm), max(warm),
						min(load), max(load), min(steal), max(steal)));
			}
		}
		out.append('\n');
		for (Map.Entry<String, Map<String, List<Sample>>> jdk : results.entrySet()) {
			List<Sample> base = jdk.getValue().get("none");
			List<Sample> ours = jdk.getValue().get("ours");
			List<Sample> micrometer = jdk.getValue().get("micrometer");
			if (base == null) {
				continue;
			}
			double[] cpu = base.stream().mapToDouble(Sample::cpuMicros).toArray();
			double[] bytes = base.stream().mapToDouble(Sample::bytes).toArray();
			double[] steal = jdk.getValue()
				.values()
				.stream()
				.flatMap(List::stream)
				.mapToDouble(Sample::steal)
				.toArray();
			out.append(String.format(Locale.ROOT,
					"%s: the no-metrics baseline varies by %.1f%% in CPU and %.1f%% in allocation across rounds "
							+ "(max-min over median: the machine's share of the variance); the hypervisor took "
							+ "%.1f-%.1f%% of the machine's processor time while runs were measured",
					describe(jdk.getKey()), 100 * (max(cpu) - min(cpu)) / median(cpu),
					100 * (max(bytes) - min(bytes)) / median(bytes), min(steal), max(steal)));
			List<Sample> switched = jdk.getValue().get(SWITCHED);
			if ((ours != null || switched != null) && micrometer != null) {
				// Ours as measured within one JVM when that ran: across JVMs it is within
				// the machine's noise.
				double oursCpu = (switched != null) ? pooledMedian(switched, true) : medianDifference(ours, base, true);
				double oursBytes = (switched != null) ? pooledMedian(switched, false)
						: medianDifference(ours, base, false);
				double microCpu = medianDifference(micrometer, base, true);
				double microBytes = medianDifference(micrometer, base, false);
				out.append("; Boot's Micrometer adds ")
					.append(ratio(microCpu, oursCpu, "%.1f µs of CPU", "our CPU"))
					.append(" and ")
					.append(ratio(microBytes, oursBytes, "%.0f B", "our allocation"))
					.append((switched != null) ? " (ours as switched in one JVM)" : "");
			}
			if (switched != null) {
				double[] charged = switched.stream().mapToDouble(Sample::metricsCpuMicros).toArray();
				double[] overPairs = switched.stream().mapToDouble(Sample::pairsMetricsCpuMicros).toArray();
				double[] asBefore = switched.stream()
					.flatMapToDouble((s) -> Arrays.stream(s.addedCpuPairsCharge()))
					.toArray();
				out.append(String.format(Locale.ROOT,
						"; switched, the metrics threads took %.2f-%.2f µs per request with the filter on "
								+ "throughout (charged) and %.2f-%.2f µs over the pairs per request recorded, "
								+ "which charged instead would make ours add %+.2f µs (CI %s)",
						min(charged), max(charged), min(overPairs), max(overPairs), median(asBefore),
						medianInterval(asBefore, "%+.2f")));
			}
			out.append(".\n");
		}
		return out.toString();
	}

	// The median over the pairs of all rounds of a switched variant's added CPU or bytes.
	private static double pooledMedian(List<Sample> switched, boolean cpu) {
		return median(switched.stream()
			.flatMapToDouble((s) -> Arrays.stream(cpu ? s.addedCpuMicros() : s.addedBytes()))
			.toArray());
	}

	// A ratio to our figure, which can come out at or below zero when the machine's noise
	// is larger than what we add: then there is no ratio to give, and theirs is given in
	// its unit.
	private static String ratio(double theirs, double ours, String format, String what) {
		return (ours > 0) ? String.format(Locale.ROOT, "%.1f times %s", theirs / ours, what)
				: String.format(Locale.ROOT, format + ", where %s did not rise above the noise", theirs, what);
	}

	private static double medianDifference(List<Sample> variant, List<Sample> base, boolean cpu) {
		double[] d = new double[variant.size()];
		for (int i = 0; i < d.length; i++) {
			d[i] = cpu ? variant.get(i).cpuMicros() - base.get(i).cpuMicros()
					: variant.get(i).bytes() - base.get(i).bytes();
		}
		return median(d);
	}

	private static String label(String variant) {
		return switch (variant) {
			case "none" -> "no metrics";
			case "ours" -> "our starter (http)";
			case OTHER_OURS -> "our starter (http), other build";
			case SWITCHED -> "our starter (http), switched on and off in one JVM";
			default -> "Boot's Micrometer observation → StatsD";
		};
	}

	private static String describe(String jdk) {
		return jdk.endsWith("vt") ? "Java " + jdk.substring(0, jdk.length() - 2) + ", virtual threads" : "Java " + jdk;
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	// A distribution-free 95% confidence interval of the median: the order statistics of
	// ranks n/2 - 0.98 sqrt(n) and 1 + n/2 + 0.98 sqrt(n) (counted from 1) of the sorted
	// values, the normal approximation of the binomial.
	static String medianInterval(double[] values, String format) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		int low = (int) Math.floor(n / 2d - 0.98 * Math.sqrt(n)) - 1;
		int high = (int) Math.ceil(n / 2d + 0.98 * Math.sqrt(n));
		if (low < 0 || high >= n) {
			return "n/a, " + n + " pairs";
		}
		return String.format(Locale.ROOT, format + ".." + format + ", %d pairs", sorted[low], sorted[high], n);
	}

	static double min(double[] values) {
		return Arrays.stream(values).min().orElse(Double.NaN);
	}

	static double max(double[] values) {
		return Arrays.stream(values).max().orElse(Double.NaN);
	}

	/**
	 * How the switched variant measures.
	 *
	 * @param pairs pairs of windows per run
	 * @param windowMillis milliseconds measured per window
	 * @param settleMillis milliseconds between a switch and its window
	 */
	record Switching(int pairs, int windowMillis, int settleMillis) {
	}

	/**
	 * @param steal the share of the machine's processor time, in percent, that the
	 * hypervisor took while the run was measured
	 * @param metricsCpuMicros CPU time per request of the threads that deliver metrics
	 * (part of {@code cpuMicros})
	 * @param metricsBytes bytes per request those threads allocated (part of
	 * {@code bytes})
	 * @param postsPerSecond requests our starter made to the loopback HTTP sink
	 * @param addedCpuMicros CPU time per request our filter added within the run, one
	 * figure per pair of windows (the switched variant), otherwise {@code null}
	 * @param addedBytes bytes per request our filter added within the run, per pair of
	 * windows (the switched variant), otherwise {@code null}
	 * @param pairsMetricsCpuMicros the switched variant's metrics threads' CPU time over
	 * the pairs per request recorded while the filter was on, otherwise NaN
	 * @param addedCpuPairsCharge the switched variant's CPU added per pair with those
	 * threads charged that way, otherwise {@code null}
	 */
	record Sample(long requests, double cpuMicros, double bytes, double rate, double load, double steal, int warmup,
			double metricsCpuMicros, double metricsBytes, double postsPerSecond, double[] addedCpuMicros,
			double[] addedBytes, double pairsMetricsCpuMicros, double[] addedCpuPairsCharge) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"%,d requests, %.2f µs CPU (%.2f µs in metrics threads) and %.0f B (%.0f B in metrics threads) "
							+ "per request, %.0f/s, %.0f metrics posts/s, load %.1f, steal %.1f%%, warm-up %d s",
					this.requests, this.cpuMicros, this.metricsCpuMicros, this.bytes, this.metricsBytes, this.rate,
					this.postsPerSecond, this.load, this.steal, this.warmup)
					+ ((this.addedCpuMicros == null) ? ""
							: String.format(Locale.ROOT, "; switched: %+.2f µs and %+.0f B per request added",
									median(this.addedCpuMicros), median(this.addedBytes)));
		}

	}

}
