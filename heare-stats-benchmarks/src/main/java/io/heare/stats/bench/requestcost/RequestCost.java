package io.heare.stats.bench.requestcost;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Micrometer's {@code @Timed} aspect, exporting to a loopback StatsD port; ours off). All
 * three run on the same class path. <pre>
 * java -cp CP io.heare.stats.bench.requestcost.RequestCost --app-classpath=CP \
 *     --jdk=17:/usr/lib/jvm/java-17/bin/java --jdk=25vt:/usr/lib/jvm/temurin-25/bin/java \
 *     --rounds=3 --warmup=10 --seconds=15 --connections=8
 * </pre> A {@code --jdk} label ending in {@code vt} runs Tomcat on virtual threads.
 * {@code --app-cpus=0} starts the application under {@code taskset -c 0}; run the driver
 * itself on the other CPUs ({@code taskset -c 1 java ...}).
 */
public final class RequestCost {

	static final String[] VARIANTS = { "none", "ours", "micrometer" };

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
			else {
				throw new IllegalArgumentException("unknown argument " + arg);
			}
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
								statsdSink, warmup, maxWarmup, seconds, connections);
						System.err.printf(Locale.ROOT, "round %d %-5s %-11s %s%n", round + 1, jdk.getKey(), variant,
								sample);
						results.computeIfAbsent(jdk.getKey(), (k) -> new LinkedHashMap<>())
							.computeIfAbsent(variant, (k) -> new ArrayList<>())
							.add(sample);
					}
				}
			}
		}
		System.out.println(table(results, variants, rounds, warmup, maxWarmup, seconds, connections, appCpus));
		System.out.printf(Locale.ROOT, "%d rounds in %d s%n", rounds,
				Duration.ofNanos(System.nanoTime() - started).toSeconds());
	}

	static Sample measure(String label, String java, String variant, String classpath, String heap,
			List<String> appOptions, String appCpus, LoopbackHttpSink httpSink, LoopbackStatsdSink statsdSink,
			int warmup, int maxWarmup, int seconds, int connections) throws Exception {
		int port = freePort();
		List<String> command = new ArrayList<>();
		if (appCpus != null) {
			// The application on CPUs of its own, the driver and the sinks on the others:
			// the application's CPU time is then its own work, not the driver's
			// contention.
			command.addAll(List.of("taskset", "-c", appCpus));
		}
		command.addAll(List.of(java, "-Xms" + heap, "-Xmx" + heap));
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
			case "ours", OTHER_OURS -> {
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
				int warmedUp = warmUp(app, port, load, warmup, maxWarmup);
				long requests0 = load.completed();
				long cpu0 = cpuTicks(app.pid());
				Map<String, String> before = snapshot(port);
				long posts0 = httpSink.requests();
				long t0 = System.nanoTime();
				Thread.sleep(seconds * 1000L);
				long requests1 = load.completed();
				long cpu1 = cpuTicks(app.pid());
				Map<String, String> after = snapshot(port);
				long posts1 = httpSink.requests();
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
						requests / elapsed, loadAverage(), warmedUp, metricsCpu / 1000d / requests,
						(double) metricsAllocated / requests, (posts1 - posts0) / elapsed);
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
	// and the code runs interpreted for longer. Returns the seconds it took.
	private static int warmUp(Process app, int port, LoadGenerator load, int minSeconds, int maxSeconds)
			throws Exception {
		long start = System.nanoTime();
		Thread.sleep(minSeconds * 1000L);
		double previous = Double.NaN;
		while (System.nanoTime() - start < maxSeconds * 1_000_000_000L) {
			long requests = load.completed();
			long ticks = cpuTicks(app.pid());
			long compiling = Long.parseLong(snapshot(port).get("compiling"));
			Thread.sleep(5000);
			double perRequest = (double) (cpuTicks(app.pid()) - ticks) / Math.max(1, load.completed() - requests);
			long compiled = Long.parseLong(snapshot(port).get("compiling")) - compiling;
			if (compiled < 100 && Math.abs(perRequest - previous) <= 0.05 * previous) {
				break;
			}
			previous = perRequest;
		}
		return (int) Duration.ofNanos(System.nanoTime() - start).toSeconds();
	}

	// What the variant claims must be what runs: Boot's observation filter genuinely off
	// outside the micrometer variant, our filter only in ours, the controller advised
	// when an aspect is on, Tomcat's threads virtual when asked.
	private static void check(String variant, boolean virtual, Map<String, String> snapshot, Path log)
			throws IOException {
		String filters = snapshot.get("filters");
		boolean heare = filters.contains(HEARE_FILTER);
		boolean observation = filters.contains(OBSERVATION_FILTER);
		boolean advised = Boolean.parseBoolean(snapshot.get("advised"));
		boolean virtualThread = "java.lang.VirtualThread".equals(snapshot.get("thread"));
		boolean expected = switch (variant) {
			case "none" -> !heare && !observation && !advised;
			// The servlet filter measures the controller's @Timed method: no proxy.
			case "ours" -> heare && !observation && !advised;
			// Builds before that proxied the controller.
			case OTHER_OURS -> heare && !observation;
			default -> !heare && observation && advised;
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
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			OutputStream out = socket.getOutputStream();
			out.write("GET /internal/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
			if (!response.startsWith("HTTP/1.1 200")) {
				throw new IOException("not ready: " + response.lines().findFirst().orElse(""));
			}
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
	}

	// utime + stime of the whole process, fields 14 and 15 of /proc/<pid>/stat.
	static long cpuTicks(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
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
			int maxWarmup, int seconds, int connections, String appCpus) {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"%d interleaved rounds; per run %d-%d s warm-up (until the CPU per request settles), %d s measured, "
						+ "%d keep-alive connections; %s"
						+ "median [min-max] over rounds; \"added\" is the median of the per-round difference to "
						+ "no metrics%n%n",
				rounds, warmup, maxWarmup, seconds, connections, (appCpus != null)
						? "the application on CPU " + appCpus + ", the driver and sinks on the others; " : ""));
		out.append(
				"| | CPU per request | added | allocated per request | added | requests/s | warm-up s | load avg |\n");
		out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
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
				double[] warm = samples.stream().mapToDouble(Sample::warmup).toArray();
				String addedCpu = "";
				String addedBytes = "";
				if (!variant.equals("none") && base != null) {
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
						"| %s, %s | %.2f µs [%.2f-%.2f] | %s | %.0f B [%.0f-%.0f] | %s | %.0f | %.0f-%.0f | %.1f-%.1f |%n",
						label(variant), describe(jdk.getKey()), median(cpu), min(cpu), max(cpu), addedCpu,
						median(bytes), min(bytes), max(bytes), addedBytes, median(rate), min(warm), max(warm),
						min(load), max(load)));
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
			out.append(String.format(Locale.ROOT,
					"%s: the no-metrics baseline varies by %.1f%% in CPU and %.1f%% in allocation across rounds "
							+ "(max-min over median: the machine's share of the variance)",
					describe(jdk.getKey()), 100 * (max(cpu) - min(cpu)) / median(cpu),
					100 * (max(bytes) - min(bytes)) / median(bytes)));
			if (ours != null && micrometer != null) {
				double oursCpu = medianDifference(ours, base, true);
				double microCpu = medianDifference(micrometer, base, true);
				double oursBytes = medianDifference(ours, base, false);
				double microBytes = medianDifference(micrometer, base, false);
				out.append(String.format(Locale.ROOT,
						"; Boot's Micrometer adds %.1f times our CPU and %.1f times our allocation", microCpu / oursCpu,
						microBytes / oursBytes));
			}
			out.append(".\n");
		}
		return out.toString();
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

	static double min(double[] values) {
		return Arrays.stream(values).min().orElse(Double.NaN);
	}

	static double max(double[] values) {
		return Arrays.stream(values).max().orElse(Double.NaN);
	}

	/**
	 * @param metricsCpuMicros CPU time per request of the threads that deliver metrics
	 * (part of {@code cpuMicros})
	 * @param metricsBytes bytes per request those threads allocated (part of
	 * {@code bytes})
	 * @param postsPerSecond requests our starter made to the loopback HTTP sink
	 */
	record Sample(long requests, double cpuMicros, double bytes, double rate, double load, int warmup,
			double metricsCpuMicros, double metricsBytes, double postsPerSecond) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"%,d requests, %.2f µs CPU (%.2f µs in metrics threads) and %.0f B (%.0f B in metrics threads) "
							+ "per request, %.0f/s, %.0f metrics posts/s, load %.1f, warm-up %d s",
					this.requests, this.cpuMicros, this.metricsCpuMicros, this.bytes, this.metricsBytes, this.rate,
					this.postsPerSecond, this.load, this.warmup);
		}

	}

}
