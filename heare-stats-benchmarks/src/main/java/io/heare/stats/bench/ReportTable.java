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
 * table: benchmark, ns/op per thread count (median of the measured iterations), bytes allocated per op (from
 * {@code -prof gc}, first thread count), and for our client the ratio ours / faster peer
 * (the faster of Micrometer and Datadog in the same benchmark class, per thread count).
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.heare.stats.bench.ReportTable result.json...}
 */
public final class ReportTable {

	private static final List<String> PEERS = List.of("micrometer", "datadog");

	private static final String OURS = "ours";

	/** Max / min iteration score above which a cell is marked as unsteady. */
	private static final double SPREAD = 1.5;

	/** One benchmark (class, method, params) across thread counts. */
	static final class Row {

		final String clazz;

		final String method;

		final String params;

		final Map<Integer, double[]> scoreByThreads = new LinkedHashMap<>();

		final Map<Integer, Double> bytesByThreads = new LinkedHashMap<>();

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
					p.forEach((k, v) -> params.append(params.length() == 0 ? "" : ", ").append(k).append('=').append(v));
				}
				int threads = ((Number) r.get("threads")).intValue();
				threadCounts.add(threads);
				Row row = rows.computeIfAbsent(clazz + "." + method + "|" + params,
						(k) -> new Row(clazz, method, params.toString()));
				Map<?, ?> primary = (Map<?, ?>) r.get("primaryMetric");
				row.scoreByThreads.put(threads, summary(primary));
				if (r.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
					secondary.forEach((k, v) -> {
						if (k.toString().endsWith("gc.alloc.rate.norm")) {
							row.bytesByThreads.put(threads, num(((Map<?, ?>) v).get("score")));
						}
					});
				}
			}
		}
		System.out.print(render(rows, threadCounts));
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
		threadCounts.forEach((t) -> out.append(" ns/op ").append(t).append(t == 1 ? " thread" : " threads").append(" |"));
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
			out.append("\n† the slowest measured iteration took more than ").append(SPREAD)
				.append("× the fastest: no steady state, the median is only indicative.\n");
		}
		if (!missing.isEmpty()) {
			out.append("\nOur client was not measured in ").append(String.join(", ", missing))
				.append(" (see HeareClients.java).\n");
		}
		return out.toString();
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
		if (v >= 1000) {
			return String.format(Locale.ROOT, "%,.0f", v);
		}
		return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
	}

	private static double num(Object o) {
		if (o instanceof Number n) {
			return n.doubleValue();
		}
		// JMH writes "NaN" as a string when the error cannot be computed.
		return Double.NaN;
	}

	/** A minimal JSON reader: objects to LinkedHashMap, arrays to ArrayList, numbers to Double. */
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
