package io.heare.stats.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StatsdFlavor}: the lines written for each flavor, read by a parser
 * that follows that daemon's own rule (the heare relay's exactly as the protocol notes
 * state it, Etsy StatsD's {@code stats.js}, the Datadog agent's DogStatsD format), give
 * back what was recorded.
 */
class StatsdFlavorTests {

	/**
	 * Ten counter updates sampled at 0.5 (sum 20), a negative gauge, sampled and
	 * unsampled timings, a histogram.
	 */
	private static Batch batch() {
		Batch batch = new Batch();
		batch.addCounter("req", 20, 10);
		batch.setGauge("temp", -5);
		batch.addTimer("db", 0.5, new double[] { 4, 6 }, 2, 100);
		batch.addTimer("db", 1, new double[] { 5 }, 1, 100);
		batch.addHistogram("size", 1, new double[] { 100 }, 1, 100);
		return batch;
	}

	private static List<String> lines(StatsdFlavor flavor) {
		return new StatsdLineFormatter(flavor, null).lines(batch());
	}

	@Test
	void theHeareRelayKeepsEveryLineOfTheHeareFlavor() {
		Daemon relay = Daemon.relay(lines(StatsdFlavor.HEARE));
		assertThat(relay.dropped).isEmpty();
		assertThat(relay.counters).containsExactly(Map.entry("req", 20d));
		assertThat(relay.gauges).containsExactly(Map.entry("temp", -5d));
		assertThat(relay.timers).containsExactly(Map.entry("db", List.of(4d, 6d, 5d)));
		assertThat(relay.histograms).containsExactly(Map.entry("size", List.of(100d)));
	}

	@Test
	void theHeareRelayWouldDropTheSampledLinesOfTheOtherFlavors() {
		for (StatsdFlavor flavor : List.of(StatsdFlavor.ETSY, StatsdFlavor.DATADOG)) {
			assertThat(Daemon.relay(lines(flavor)).dropped).as(flavor.name())
				.containsExactly("db:4|ms|@0.5", "db:6|ms|@0.5");
		}
	}

	@Test
	void etsyStatsdReadsTheEtsyFlavorWithTimerCountsScaledByTheRate() {
		Daemon etsy = Daemon.etsy(lines(StatsdFlavor.ETSY));
		assertThat(etsy.dropped).isEmpty();
		assertThat(etsy.counters).as("no histogram counted as a counter").containsExactly(Map.entry("req", 20d));
		assertThat(etsy.gauges).containsExactly(Map.entry("temp", -5d));
		assertThat(etsy.timers).containsExactly(Map.entry("db", List.of(4d, 6d, 5d)), Map.entry("size", List.of(100d)));
		assertThat(etsy.timerCounts).containsExactly(Map.entry("db", 5d), Map.entry("size", 1d));
	}

	@Test
	void etsyStatsdCountsTheHeareFlavorsHistogramsAsCounters() {
		assertThat(Daemon.etsy(lines(StatsdFlavor.HEARE)).counters).containsEntry("size", 100d);
	}

	@Test
	void theDatadogAgentReadsTheDatadogFlavorWithSampleCountsScaledByTheRate() {
		Daemon datadog = Daemon.datadog(lines(StatsdFlavor.DATADOG));
		assertThat(datadog.dropped).isEmpty();
		assertThat(datadog.counters).containsExactly(Map.entry("req", 20d));
		assertThat(datadog.gauges).containsExactly(Map.entry("temp", -5d));
		assertThat(datadog.timers).containsExactly(Map.entry("db", List.of(4d, 6d, 5d)));
		assertThat(datadog.timerCounts).containsExactly(Map.entry("db", 5d), Map.entry("size", 1d));
		assertThat(datadog.histograms).containsExactly(Map.entry("size", List.of(100d)));
	}

	@Test
	void theHistogramTypeOverridesTheFlavor() {
		List<String> lines = new StatsdLineFormatter(StatsdFlavor.DATADOG, HistogramType.D).lines(batch());
		assertThat(lines).contains("size:100|d");
		assertThat(Daemon.datadog(lines).histograms).containsExactly(Map.entry("size", List.of(100d)));
	}

	/** What a daemon made of the lines it read. */
	private static final class Daemon {

		final Map<String, Double> counters = new LinkedHashMap<>();

		final Map<String, Double> gauges = new LinkedHashMap<>();

		final Map<String, List<Double>> timers = new LinkedHashMap<>();

		final Map<String, Double> timerCounts = new LinkedHashMap<>();

		final Map<String, List<Double>> histograms = new LinkedHashMap<>();

		final List<String> dropped = new ArrayList<>();

		/**
		 * The heare relay: the name is what precedes the first {@code :}; the rest is cut
		 * at its first {@code |} into the value and a type part; a type part with
		 * {@code @} is cut there into the type and a rate; the type, trimmed and
		 * lower-cased, must be c, g, ms, h or s, or the line is dropped. A rate divides
		 * counters and is ignored otherwise.
		 */
		static Daemon relay(List<String> lines) {
			Daemon daemon = new Daemon();
			for (String line : lines) {
				int colon = line.indexOf(':');
				int bar = line.indexOf('|', colon + 1);
				if (colon < 0 || bar < 0) {
					daemon.dropped.add(line);
					continue;
				}
				String name = line.substring(0, colon);
				String value = line.substring(colon + 1, bar);
				String typePart = line.substring(bar + 1);
				double rate = 1;
				int at = typePart.indexOf('@');
				if (at >= 0) {
					rate = Double.parseDouble(typePart.substring(at + 1));
					typePart = typePart.substring(0, at);
				}
				String type = typePart.trim().toLowerCase(Locale.ROOT);
				if (!Set.of("c", "g", "ms", "h", "s").contains(type)) {
					daemon.dropped.add(line);
					continue;
				}
				daemon.apply(name, value, type, rate, false);
			}
			return daemon;
		}

		/**
		 * Etsy StatsD 0.9 ({@code stats.js}): fields split at {@code |}; a third field
		 * must be {@code @rate}; {@code ms} is a timer (its count scaled by the rate),
		 * {@code g} a gauge, {@code s} a set, and any other type a counter scaled by the
		 * rate.
		 */
		static Daemon etsy(List<String> lines) {
			Daemon daemon = new Daemon();
			for (String line : lines) {
				int colon = line.indexOf(':');
				String[] fields = line.substring(colon + 1).split("\\|");
				if (colon < 0 || fields.length < 2 || (fields.length > 2 && !fields[2].matches("@[0-9.]+"))) {
					daemon.dropped.add(line);
					continue;
				}
				double rate = (fields.length > 2) ? Double.parseDouble(fields[2].substring(1)) : 1;
				String type = fields[1].trim();
				String kind = switch (type) {
					case "ms", "g", "s" -> type;
					default -> "c";
				};
				daemon.apply(line.substring(0, colon), fields[0], kind, rate, true);
			}
			return daemon;
		}

		/**
		 * DogStatsD: {@code name:value|type[|@rate][|#tags]}, types c, g, ms, h, d, s; a
		 * rate scales counters and the sample count of timers, histograms and
		 * distributions.
		 */
		static Daemon datadog(List<String> lines) {
			Daemon daemon = new Daemon();
			for (String line : lines) {
				int colon = line.indexOf(':');
				String[] fields = line.substring(colon + 1).split("\\|");
				if (colon < 0 || fields.length < 2 || !Set.of("c", "g", "ms", "h", "d", "s").contains(fields[1])) {
					daemon.dropped.add(line);
					continue;
				}
				double rate = 1;
				for (int i = 2; i < fields.length; i++) {
					if (fields[i].startsWith("@")) {
						rate = Double.parseDouble(fields[i].substring(1));
					}
				}
				String type = fields[1].equals("d") ? "h" : fields[1];
				daemon.apply(line.substring(0, colon), fields[0], type, rate, true);
			}
			return daemon;
		}

		private void apply(String name, String text, String type, double rate, boolean countSamples) {
			double value = Double.parseDouble(text);
			switch (type) {
				case "c" -> this.counters.merge(name, value / rate, Double::sum);
				case "g" -> this.gauges.merge(name, value,
						(current, next) -> (text.startsWith("-") || text.startsWith("+")) ? current + next : next);
				case "ms" -> {
					this.timers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
					this.timerCounts.merge(name, 1 / rate, Double::sum);
				}
				case "h" -> {
					this.histograms.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
					if (countSamples) {
						this.timerCounts.merge(name, 1 / rate, Double::sum);
					}
				}
				default -> {
				}
			}
		}

	}

}
