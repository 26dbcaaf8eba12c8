package io.heare.stats.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns JMH JSON results ({@code -rf json}, one file per {@code -t}) into one Markdown
 * table: benchmark, ns/op per thread count (median of the measured iterations), bytes
 * allocated per op (from {@code -prof gc}, first thread count), and for our client the
 * ratio ours / faster peer (the faster of Micrometer and Datadog in the same benchmark
 * class, per thread count). Then, when {@link RequestInstrumentationBenchmark} ran, an
 * "instrumentation" section: what each of its measured variants adds to its baseline, in
 * wall time per thread count, in CPU ({@code cpu.norm} of {@link ProcessCpuProfiler},
 * when it ran) and in bytes allocated.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.heare.stats.bench.ReportTable result.json...}
 */
public final class ReportTable {

	private static final List<String> PEERS = List.of("micrometer", "datadog");

	private static final String OURS = "ours";

	/**
	 * Benchmark classes whose variants are reported as added to a baseline: class to
	 * (variant to baseline).
	 */
	private static final Map<String, Map<String, String>> INSTRUMENTATION = Map
		.of(RequestInstrumentationBenchmark.class.getSimpleName(), RequestInstrumentationBenchmark.BASELINES);

	/** The budget for the instrumentation: added CPU per request, ns. */
	private static final double TARGET_NANOS = 2_000;

	/** Max / min iteration score above which a cell is marked as unsteady. */
	private static final double SPREAD = 1.5;

	/** One benchmark (class, method, params) across thread counts. */
	static final class Row {

		final String clazz;

		final String method;

		final String params;

		final Map<Integer, double[]> scoreByThreads = new LinkedHashMap<>();

		final Map<Integer, Double> bytesByThreads = new LinkedHashMap<>();

		/**
		 * {@code cpu.norm} of {@link ProcessCpuProfiler}, when it ran: {score, error}.
		 */
		final Map<Integer, double[]> cpuByThreads = new LinkedHashMap<>();

		Row(String clazz, String method, String params) {
			this.clazz = clazz;
			this.method = method;
			this.params = params;
		}

		String label() {
			return this.clazz + "." + this.method + (this.params.isEmpty() ? "" : " (" + this.params + ")");
		}

	}

	public static void main(String[] args) throws IOException {
		if (args.length == 0) {
			System.err.println("usage: ReportTable jmh-result.json...");
			System.exit(2);
		}
		Map<String, Row> rows = new LinkedHashMap<>();
		TreeSet<Integer> threadCounts = new TreeSet<>();
		for (String file : args) {
			Object parsed = new Json(Files.readString(Path.of(file), StandardCharsets.UTF_8)).parse();
			for (Object o : (List<?>) parsed) {
				Map<?, ?> r = (Map<?, ?>) o;
				String benchmark = (String) r.get("benchmark");
				int lastDot = benchmark.lastIndexOf('.');
				String method = benchmark.substring(lastDot + 1);
				String qualified = benchmark.substring(0, lastDot);
				String clazz = qualified.substring(qualified.lastIndexOf('.') + 1);
				StringBuilder params = new StringBuilder();
				if (r.get("params") instanceof Map<?, ?> p) {
					p.forEach(
							(k, v) -> params.append(params.length() == 0 ? "" : ", ").append(k).append('=').append(v));
				}
				int threads = ((Number) r.get("threads")).intValue();
				threadCounts.add(threads);
				Row row = rows.computeIfAbsent(clazz + "." + method + "|" + params,
						(k) -> new Row(clazz, method, params.toString()));
				Map<?, ?> primary = (Map<?, ?>) r.get("primaryMetric");
				row.scoreByThreads.put(threads, summary(primary));
				if (r.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
					secondary.forEach((k, v) -> {
						Map<?, ?> metric = (Map<?, ?>) v;
						if (k.toString().endsWith("gc.alloc.rate.norm")) {
							row.bytesByThreads.put(threads, num(metric.get("score")));
						}
						else if (k.toString().endsWith("cpu.norm")) {
							row.cpuByThreads.put(threads,
									new double[] { num(metric.get("score")), num(metric.get("scoreError")) });
						}
					});
				}
			}
		}
		System.out.print(render(rows, threadCounts));
		System.out.print(renderInstrumentation(rows, threadCounts));
	}

	static String render(Map<String, Row> byKey, TreeSet<Integer> threadCounts) {
		List<Row> rows = new ArrayList<>(byKey.values());
		// Group by class (first appearance), ours first, then peers, then the rest.
		List<String> classes = new ArrayList<>();
		rows.forEach((r) -> {
			if (!classes.contains(r.clazz)) {
				classes.add(r.clazz);
			}
		});
		rows.sort((a, b) -> {
			int c = Integer.compare(classes.indexOf(a.clazz), classes.indexOf(b.clazz));
			return (c != 0) ? c : Integer.compare(rank(a.method), rank(b.method));
		});
		StringBuilder out = new StringBuilder();
		out.append("| benchmark |");
		threadCounts
			.forEach((t) -> out.append(" ns/op ").append(t).append(t == 1 ? " thread" : " threads").append(" |"));
		out.append(" B/op | ours / faster peer |\n|---|");
		threadCounts.forEach((t) -> out.append("---:|"));
		out.append("---:|---:|\n");
		List<String> missing = new ArrayList<>();
		boolean unsteadySeen = false;
		for (String clazz : classes) {
			boolean hasPeer = rows.stream().anyMatch((r) -> r.clazz.equals(clazz) && PEERS.contains(r.method));
			boolean hasOurs = rows.stream().anyMatch((r) -> r.clazz.equals(clazz) && r.method.startsWith(OURS));
			if (hasPeer && !hasOurs) {
				out.append("| ").append(clazz).append('.').append(OURS).append(" |");
				threadCounts.forEach((t) -> out.append(" – |"));
				out.append(" – | not measured |\n");
				missing.add(clazz);
			}
			for (Row r : rows) {
				if (!r.clazz.equals(clazz)) {
					continue;
				}
				out.append("| ").append(r.label()).append(" |");
				for (int t : threadCounts) {
					double[] s = r.scoreByThreads.get(t);
					String cell = "–";
					if (s != null) {
						boolean unsteady = s[3] > SPREAD * s[2];
						unsteadySeen |= unsteady;
						cell = fmt(s[0]) + (unsteady ? " †" : "");
					}
					out.append(' ').append(cell).append(" |");
				}
				Double bytes = r.bytesByThreads.isEmpty() ? null : r.bytesByThreads.values().iterator().next();
				out.append(' ').append(bytes == null ? "–" : String.format(Locale.ROOT, "%.0f", bytes)).append(" |");
				out.append(' ').append(r.method.startsWith(OURS) ? ratio(r, rows, threadCounts) : "").append(" |\n");
			}
		}
		if (unsteadySeen) {
			out.append("\n† the slowest measured iteration took more than ")
				.append(SPREAD)
				.append("× the fastest: no steady state, the median is only indicative.\n");
		}
		if (!missing.isEmpty()) {
			out.append("\nOur client was not measured in ")
				.append(String.join(", ", missing))
				.append(" (see HeareClients.java).\n");
		}
		return out.toString();
	}

	/**
	 * The "instrumentation" section: for every measured variant of a class in
	 * {@link #INSTRUMENTATION}, what it adds to its baseline of the same run (same class,
	 * same parameters, or no parameters when the baseline has none), per thread count.
	 * Empty when no such class ran.
	 */
	static String renderInstrumentation(Map<String, Row> rows, TreeSet<Integer> threadCounts) {
		StringBuilder out = new StringBuilder();
		boolean cpuSeen = rows.values().stream().anyMatch((r) -> !r.cpuByThreads.isEmpty());
		for (Map.Entry<String, Map<String, String>> clazz : INSTRUMENTATION.entrySet()) {
			List<Row> measured = new ArrayList<>();
			for (String method : clazz.getValue().keySet()) {
				rows.values()
					.stream()
					.filter((r) -> r.clazz.equals(clazz.getKey()) && r.method.equals(method))
					.forEach(measured::add);
			}
			if (measured.isEmpty()) {
				continue;
			}
			if (out.length() == 0) {
				out.append("\n### Instrumentation: added per request = measured − baseline (same run)\n\n");
				out.append("Wall time of the request thread (AverageTime median)");
				out.append(cpuSeen ? "; CPU = all JVM threads but the sink's (ProcessCpuProfiler)" : "");
				out.append("; ± combines the two JMH 99.9% errors. Target: under ")
					.append(fmt(TARGET_NANOS))
					.append(" ns of added CPU per request.\n\n| variant | baseline |");
				threadCounts.forEach((t) -> out.append(" added ns ").append(t).append("t |"));
				if (cpuSeen) {
					threadCounts.forEach((t) -> out.append(" added CPU ns ").append(t).append("t |"));
				}
				out.append(" added B/op | under target |\n|---|---|");
				threadCounts.forEach((t) -> out.append("---:|"));
				if (cpuSeen) {
					threadCounts.forEach((t) -> out.append("---:|"));
				}
				out.append("---:|:---:|\n");
			}
			for (Row m : measured) {
				String baselineMethod = clazz.getValue().get(m.method);
				Row b = rows.get(clazz.getKey() + "." + baselineMethod + "|" + m.params);
				if (b == null) {
					b = rows.get(clazz.getKey() + "." + baselineMethod + "|");
				}
				out.append("| ").append(m.label()).append(" | ").append(baselineMethod).append(" |");
				double worst = Double.NaN;
				for (int t : threadCounts) {
					double[] ms = m.scoreByThreads.get(t);
					double[] bs = (b != null) ? b.scoreByThreads.get(t) : null;
					out.append(' ')
						.append((ms != null && bs != null) ? diff(ms[0], ms[1], bs[0], bs[1]) : "–")
						.append(" |");
					if (!cpuSeen && ms != null && bs != null) {
						worst = Double.isNaN(worst) ? ms[0] - bs[0] : Math.max(worst, ms[0] - bs[0]);
					}
				}
				if (cpuSeen) {
					for (int t : threadCounts) {
						double[] mc = m.cpuByThreads.get(t);
						double[] bc = (b != null) ? b.cpuByThreads.get(t) : null;
						out.append(' ')
							.append((mc != null && bc != null) ? diff(mc[0], mc[1], bc[0], bc[1]) : "–")
							.append(" |");
						if (mc != null && bc != null) {
							worst = Double.isNaN(worst) ? mc[0] - bc[0] : Math.max(worst, mc[0] - bc[0]);
						}
					}
				}
				Double mb = m.bytesByThreads.isEmpty() ? null : m.bytesByThreads.values().iterator().next();
				Double bb = (b == null || b.bytesByThreads.isEmpty()) ? null
						: b.bytesByThreads.values().iterator().next();
				out.append(' ').append((mb != null && bb != null) ? String.format(Locale.ROOT, "%.0f", mb - bb) : "–");
				out.append(" | ")
					.append(Double.isNaN(worst) ? "?" : (worst < TARGET_NANOS) ? "yes" : "**no**")
					.append(" |\n");
			}
		}
		return out.toString();
	}

	private static String diff(double measured, double measuredError, double baseline, double baselineError) {
		String d = fmt(measured - baseline);
		double error = Math.sqrt(measuredError * measuredError + baselineError * baselineError);
		return Double.isNaN(error) ? d : d + " ± " + fmt(error);
	}

	/**
	 * {median, JMH error, min, max} of the measured iterations of all forks; the median
	 * resists the outliers of a client that has no steady state.
	 */
	static double[] summary(Map<?, ?> primary) {
		List<Double> raw = new ArrayList<>();
		if (primary.get("rawData") instanceof List<?> forks) {
			for (Object fork : forks) {
				for (Object v : (List<?>) fork) {
					raw.add(num(v));
				}
			}
		}
		if (raw.isEmpty()) {
			double score = num(primary.get("score"));
			return new double[] { score, num(primary.get("scoreError")), score, score };
		}
		raw.sort(null);
		int n = raw.size();
		double median = (n % 2 == 1) ? raw.get(n / 2) : (raw.get(n / 2 - 1) + raw.get(n / 2)) / 2;
		return new double[] { median, num(primary.get("scoreError")), raw.get(0), raw.get(n - 1) };
	}

	private static String ratio(Row ours, List<Row> rows, TreeSet<Integer> threadCounts) {
		List<String> parts = new ArrayList<>();
		boolean any = false;
		for (int t : threadCounts) {
			double best = Double.NaN;
			for (Row r : rows) {
				if (r.clazz.equals(ours.clazz) && PEERS.contains(r.method) && r.scoreByThreads.containsKey(t)) {
					double s = r.scoreByThreads.get(t)[0];
					best = Double.isNaN(best) ? s : Math.min(best, s);
				}
			}
			double[] mine = ours.scoreByThreads.get(t);
			if (mine == null || Double.isNaN(best)) {
				parts.add("–");
			}
			else {
				parts.add(String.format(Locale.ROOT, "%.2f", mine[0] / best));
				any = true;
			}
		}
		return any ? String.join(" / ", parts) : "no peer";
	}

	private static int rank(String method) {
		if (method.startsWith(OURS)) {
			return 0;
		}
		int p = PEERS.indexOf(method);
		return (p >= 0) ? 1 + p : 10;
	}

	private static String fmt(double v) {
		if (Double.isNaN(v)) {
			return "?";
		}
		// By magnitude: the instrumentation section prints differences, which can be
		// negative.
		double magnitude = Math.abs(v);
		if (magnitude >= 1000) {
			return String.format(Locale.ROOT, "%,.0f", v);
		}
		return String.format(Locale.ROOT, magnitude >= 100 ? "%.0f" : "%.1f", v);
	}

	private static double num(Object o) {
		if (o instanceof Number n) {
			return n.doubleValue();
		}
		// JMH writes "NaN" as a string when the error cannot be computed.
		return Double.NaN;
	}

	/**
	 * A minimal JSON reader: objects to LinkedHashMap, arrays to ArrayList, numbers to
	 * Double.
	 */
	static final class Json {

		private final String s;

		private int i;

		Json(String s) {
			this.s = s;
		}

		Object parse() {
			Object v = value();
			ws();
			if (this.i != this.s.length()) {
				throw error("trailing characters");
			}
			return v;
		}

		private Object value() {
			ws();
			char c = peek();
			switch (c) {
				case '{': {
					this.i++;
					Map<String, Object> m = new LinkedHashMap<>();
					ws();
					if (peek() == '}') {
						this.i++;
						return m;
					}
					while (true) {
						ws();
						String k = string();
						ws();
						expect(':');
						m.put(k, value());
						ws();
						if (peek() == ',') {
							this.i++;
							continue;
						}
						expect('}');
						return m;
					}
				}
				case '[': {
					this.i++;
					List<Object> l = new ArrayList<>();
					ws();
					if (peek() == ']') {
						this.i++;
						return l;
					}
					while (true) {
						l.add(value());
						ws();
						if (peek() == ',') {
							this.i++;
							continue;
						}
						expect(']');
						return l;
					}
				}
				case '"':
					return string();
				default:
					if (this.s.startsWith("true", this.i)) {
						this.i += 4;
						return Boolean.TRUE;
					}
					if (this.s.startsWith("false", this.i)) {
						this.i += 5;
						return Boolean.FALSE;
					}
					if (this.s.startsWith("null", this.i)) {
						this.i += 4;
						return null;
					}
					int start = this.i;
					while (this.i < this.s.length() && "+-0123456789.eE".indexOf(this.s.charAt(this.i)) >= 0) {
						this.i++;
					}
					if (start == this.i) {
						throw error("unexpected '" + c + "'");
					}
					return Double.parseDouble(this.s.substring(start, this.i));
			}
		}

		private String string() {
			expect('"');
			StringBuilder b = new StringBuilder();
			while (true) {
				char c = this.s.charAt(this.i++);
				if (c == '"') {
					return b.toString();
				}
				if (c == '\\') {
					char e = this.s.charAt(this.i++);
					switch (e) {
						case 'n' -> b.append('\n');
						case 't' -> b.append('\t');
						case 'r' -> b.append('\r');
						case 'b' -> b.append('\b');
						case 'f' -> b.append('\f');
						case 'u' -> {
							b.append((char) Integer.parseInt(this.s.substring(this.i, this.i + 4), 16));
							this.i += 4;
						}
						default -> b.append(e);
					}
				}
				else {
					b.append(c);
				}
			}
		}

		private void ws() {
			while (this.i < this.s.length() && Character.isWhitespace(this.s.charAt(this.i))) {
				this.i++;
			}
		}

		private char peek() {
			if (this.i >= this.s.length()) {
				throw error("unexpected end");
			}
			return this.s.charAt(this.i);
		}

		private void expect(char c) {
			if (peek() != c) {
				throw error("expected '" + c + "'");
			}
			this.i++;
		}

		private IllegalArgumentException error(String message) {
			return new IllegalArgumentException("JSON: " + message + " at " + this.i);
		}

	}

}
