package io.heare.stats.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link StatsdLineFormatter}. */
class StatsdLineFormatterTests {

	private final StatsdLineFormatter formatter = new StatsdLineFormatter();

	@Test
	void writesMergedCounterAsOneLine() {
		Batch batch = new Batch();
		batch.addCounter("api.requests", 2);
		batch.addCounter("api.requests", 4);
		assertThat(this.formatter.lines(batch)).containsExactly("api.requests:6|c");
	}

	@Test
	void writesNegativeCounterWithItsSign() {
		Batch batch = new Batch();
		batch.addCounter("queue.size", -3);
		assertThat(this.formatter.lines(batch)).containsExactly("queue.size:-3|c");
	}

	@Test
	void writesTheSampleRateOfTimerValuesOnlyForDaemonsThatReadIt() {
		Batch batch = new Batch();
		batch.addCounter("sampled", 30);
		batch.addTimer("db", 0.25, new double[] { 4.5 }, 1, 100);
		assertThat(this.formatter.lines(batch)).containsExactly("sampled:30|c", "db:4.5|ms");
		assertThat(new StatsdLineFormatter(StatsdFlavor.ETSY, null).lines(batch)).containsExactly("sampled:30|c",
				"db:4.5|ms|@0.25");
		assertThat(new StatsdLineFormatter(StatsdFlavor.DATADOG, null).lines(batch)).containsExactly("sampled:30|c",
				"db:4.5|ms|@0.25");
	}

	@Test
	void clampsAnInfiniteCounterSumToTheLargestFiniteValue() {
		Batch batch = new Batch();
		batch.addCounter("big", Double.MAX_VALUE);
		batch.addCounter("big", Double.MAX_VALUE);
		batch.addCounter("small", Double.NEGATIVE_INFINITY);
		List<String> lines = this.formatter.lines(batch);
		assertThat(lines).hasSize(2).allSatisfy((line) -> assertThat(line).doesNotContain("Infinity"));
		assertThat(StatsdLines.parse(lines.get(0)).value()).isEqualTo(Double.MAX_VALUE);
		assertThat(StatsdLines.parse(lines.get(1)).value()).isEqualTo(-Double.MAX_VALUE);
	}

	@Test
	void writesPositiveGaugeAsItsValue() {
		Batch batch = new Batch();
		batch.setGauge("memory.usage", 85.5);
		batch.setGauge("zero", 0);
		batch.setGauge("negative.zero", -0.0);
		assertThat(this.formatter.lines(batch)).containsExactly("memory.usage:85.5|g", "zero:0|g", "negative.zero:0|g");
	}

	@Test
	void writesNegativeGaugeAsResetThenDelta() {
		Batch batch = new Batch();
		batch.setGauge("temperature", -5);
		assertThat(this.formatter.lines(batch)).containsExactly("temperature:0|g", "temperature:-5|g");
	}

	@Test
	void writesOneLinePerTimerValueInOrder() {
		Batch batch = new Batch();
		batch.addTimer("db.query", 1, new double[] { 45.2, 12, 0.5 }, 3, 100);
		assertThat(this.formatter.lines(batch)).containsExactly("db.query:45.2|ms", "db.query:12|ms",
				"db.query:0.5|ms");
	}

	@ParameterizedTest
	@EnumSource(HistogramType.class)
	void writesHistogramsWithTheTypeThatOverridesTheFlavors(HistogramType type) {
		Batch batch = new Batch();
		batch.addHistogram("payload", 1, new double[] { 2048, 512 }, 2, 100);
		for (StatsdFlavor flavor : StatsdFlavor.values()) {
			assertThat(new StatsdLineFormatter(flavor, type).lines(batch))
				.containsExactly("payload:2048|" + type.symbol(), "payload:512|" + type.symbol());
		}
	}

	@ParameterizedTest
	@CsvSource({ "HEARE, h", "ETSY, ms", "DATADOG, h" })
	void writesHistogramsWithTheFlavorsType(StatsdFlavor flavor, String type) {
		Batch batch = new Batch();
		batch.addHistogram("payload", 1, new double[] { 7 }, 1, 100);
		assertThat(new StatsdLineFormatter(flavor, null).lines(batch)).containsExactly("payload:7|" + type);
	}

	@Test
	void histogramTypeDefaultsToH() {
		Batch batch = new Batch();
		batch.addHistogram("payload", 1, new double[] { 1 }, 1, 100);
		assertThat(this.formatter.lines(batch)).containsExactly("payload:1|h");
	}

	@Test
	void writesKindsInProtocolOrder() {
		Batch batch = new Batch();
		batch.addHistogram("h", 1, new double[] { 1 }, 1, 100);
		batch.addTimer("t", 1, new double[] { 1 }, 1, 100);
		batch.setGauge("g", 1);
		batch.addCounter("c", 1);
		assertThat(this.formatter.lines(batch)).containsExactly("c:1|c", "g:1|g", "t:1|ms", "h:1|h");
	}

	@ParameterizedTest
	@CsvSource({ "5.0, 5", "-2.5, -2.5", "0.1, 0.1", "1e20, 100000000000000000000", "1.5e-7, 0.00000015",
			"123456789.123, 123456789.123", "9007199254740993, 9007199254740992",
			"-9223372036854774784, -9223372036854774784", "9.3e18, 9300000000000000000", "-0.0, 0" })
	void writesNumbersWithoutExponentOrTrailingZero(double value, String expected) {
		Batch batch = new Batch();
		batch.setGauge("n", value);
		List<String> lines = this.formatter.lines(batch);
		assertThat(lines.get(lines.size() - 1)).isEqualTo("n:" + expected + "|g");
	}

	@Test
	void writesHugeAndTinyValuesInPlainDecimal() {
		Batch batch = new Batch();
		batch.addHistogram("n", 1, new double[] { 1e300, Double.MIN_VALUE, -1.25e-30 }, 3, 100);
		assertThat(this.formatter.lines(batch)).containsExactly("n:1" + "0".repeat(300) + "|h",
				"n:0." + "0".repeat(323) + "49|h", "n:-0." + "0".repeat(29) + "125|h");
	}

	@Test
	void replacesCharactersThatWouldBreakTheLine() {
		Batch batch = new Batch();
		batch.addCounter("a:b|c@d e\nf", 1);
		assertThat(this.formatter.lines(batch)).containsExactly("a_b_c_d_e_f:1|c");
	}

	@Test
	void replacesTheDeleteCharacterAndKeepsEveryOtherPrintableOne() {
		Batch batch = new Batch();
		batch.addCounter("a\u007fb~c\u001fd", 1);
		assertThat(this.formatter.lines(batch)).containsExactly("a_b~c_d:1|c");
	}

	@Test
	void writesNoRateForAnUnsampledValueOrARateOutsideZeroToOne() {
		StatsdLineFormatter formatter = new StatsdLineFormatter(StatsdFlavor.DATADOG, null);
		Batch batch = new Batch();
		batch.addTimer("one", 1.0, new double[] { 5 }, 1, 100);
		batch.addTimer("zero", 0.0, new double[] { 6 }, 1, 100);
		batch.addTimer("half", 0.5, new double[] { 7 }, 1, 100);
		assertThat(formatter.lines(batch)).containsExactly("one:5|ms", "zero:6|ms", "half:7|ms|@0.5");
	}

	/**
	 * Names of every length around the line buffer's first size, with long values and a
	 * rate, each written by a new formatter: every line is whole, whichever part of it
	 * crosses the end of the buffer.
	 */
	@Test
	void writesWholeLinesForNamesOfAnyLength() {
		for (int length = 1; length <= 600; length += (length < 200 || length > 300) ? 17 : 1) {
			StatsdLineFormatter formatter = new StatsdLineFormatter(StatsdFlavor.DATADOG, null);
			String name = "n".repeat(length);
			Batch batch = new Batch();
			batch.addCounter(name, -9.223372036854775E18);
			batch.setGauge(name, -1234567890123.5);
			batch.addTimer(name, 0.125, new double[] { -1234567890123456.0, 0.001953125 }, 2, 100);
			batch.addHistogram(name, 1, new double[] { 1e-300 }, 1, 100);
			assertThat(formatter.lines(batch)).as("name of %d characters", length)
				.containsExactly(name + ":-9223372036854774784|c", name + ":0|g", name + ":-1234567890123.5|g",
						name + ":-1234567890123456|ms|@0.125", name + ":0.001953125|ms|@0.125",
						name + ":0." + "0".repeat(299) + "1|h");
		}
	}

	@Test
	void eachLineStandsForTheUpdatesOfItsEntry() {
		Batch batch = new Batch();
		batch.addCounter("c", 500, 500);
		batch.setGauge("g", -2, 3);
		batch.addTimer("t", 1, new double[] { 1, 2 }, 2, 100);
		List<String> lines = new ArrayList<>();
		List<Long> updates = new ArrayList<>();
		this.formatter.format(batch, (bytes, length, count) -> {
			lines.add(new String(bytes, 0, length, java.nio.charset.StandardCharsets.US_ASCII));
			updates.add(count);
		});
		assertThat(lines).containsExactly("c:500|c", "g:0|g", "g:-2|g", "t:1|ms", "t:2|ms");
		// The reset before a negative gauge stands for nothing: its pair is one entry.
		assertThat(updates).containsExactly(500L, 0L, 3L, 1L, 1L);
		assertThat(updates.stream().mapToLong(Long::longValue).sum()).isEqualTo(batch.updates());
	}

	@Test
	void reusesOneBufferForEveryLine() {
		Batch batch = new Batch();
		batch.addCounter("a", 1);
		batch.addCounter("b", 2);
		List<byte[]> buffers = new ArrayList<>();
		this.formatter.format(batch, (bytes, length, updates) -> buffers.add(bytes));
		assertThat(buffers).hasSize(2);
		assertThat(buffers.get(0)).isSameAs(buffers.get(1));
	}

	/**
	 * Random batches of every kind, awkward names and values of every magnitude, written
	 * for a daemon that reads sample rates: each line parses by the protocol's rules, and
	 * applying the lines as a StatsD server would gives back exactly what was in the
	 * batch.
	 */
	@Test
	void everyLineParsesBackToTheSameMetric() {
		StatsdLineFormatter formatter = new StatsdLineFormatter(StatsdFlavor.DATADOG, null);
		Random random = new Random(20240611);
		for (int round = 0; round < 200; round++) {
			Batch batch = new Batch();
			Map<String, Double> counters = new LinkedHashMap<>();
			Map<String, Double> gauges = new LinkedHashMap<>();
			Map<String, List<Double>> timers = new LinkedHashMap<>();
			Map<String, List<Double>> histograms = new LinkedHashMap<>();
			Map<String, Double> rates = new LinkedHashMap<>();
			for (int i = 0; i < 20; i++) {
				String name = "k" + i + "." + MetricNames.sanitize(awkwardName(random));
				// +0.0 because StatsD has no negative zero: -0.0 is written (and read
				// back) as 0.
				double value = randomValue(random) + 0.0;
				double rate = random.nextBoolean() ? 1.0 : randomRate(random);
				switch (random.nextInt(4)) {
					case 0 -> {
						batch.addCounter(name, value);
						counters.put(name, value);
						rates.put(name, 1.0);
					}
					case 1 -> {
						batch.setGauge(name, value);
						gauges.put(name, value);
					}
					case 2 -> {
						double[] values = { value, randomValue(random) + 0.0 };
						batch.addTimer(name, rate, values, 2, 10_000);
						timers.put(name, List.of(values[0], values[1]));
						rates.put(name, rate);
					}
					default -> {
						batch.addHistogram(name, 1, new double[] { value }, 1, 10_000);
						histograms.put(name, List.of(value));
						rates.put(name, 1.0);
					}
				}
			}
			Map<String, Double> parsedCounters = new LinkedHashMap<>();
			Map<String, Double> parsedGauges = new LinkedHashMap<>();
			Map<String, List<Double>> parsedTimers = new LinkedHashMap<>();
			Map<String, List<Double>> parsedHistograms = new LinkedHashMap<>();
			for (String text : formatter.lines(batch)) {
				StatsdLines.Line line = StatsdLines.parse(text);
				if (!line.type().equals("g")) {
					assertThat(line.sampleRate()).as(text).isEqualTo(rates.get(line.name()));
				}
				switch (line.type()) {
					case "c" -> parsedCounters.put(line.name(), line.value());
					case "g" -> parsedGauges.merge(line.name(), line.value(),
							(current, next) -> line.signed() ? current + next : next);
					case "ms" ->
						parsedTimers.computeIfAbsent(line.name(), (key) -> new ArrayList<>()).add(line.value());
					case "h" ->
						parsedHistograms.computeIfAbsent(line.name(), (key) -> new ArrayList<>()).add(line.value());
					default -> throw new AssertionError(text);
				}
				if (line.type().equals("g") && line.signed()) {
					assertThat(line.value()).as("a signed gauge is only written after a reset").isNegative();
				}
			}
			assertThat(parsedCounters).isEqualTo(counters);
			assertThat(parsedGauges).isEqualTo(gauges);
			assertThat(parsedTimers).isEqualTo(timers);
			assertThat(parsedHistograms).isEqualTo(histograms);
		}
	}

	private static String awkwardName(Random random) {
		String alphabet = "abcXYZ019_.-:|@ \n\té€/#";
		StringBuilder name = new StringBuilder("n");
		int length = 1 + random.nextInt(12);
		for (int i = 0; i < length; i++) {
			name.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return name.append('z').toString();
	}

	private static double randomValue(Random random) {
		double sign = random.nextBoolean() ? 1 : -1;
		return switch (random.nextInt(6)) {
			case 0 -> sign * random.nextInt(1000);
			case 1 -> sign * random.nextLong();
			case 2 -> sign * random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
			case 3 -> sign * Double.MIN_VALUE * (1 + random.nextInt(1000));
			case 4 -> sign * Double.MAX_VALUE * random.nextDouble();
			default -> {
				double bits;
				do {
					bits = Double.longBitsToDouble(random.nextLong());
				}
				while (!Double.isFinite(bits));
				yield bits;
			}
		};
	}

	private static double randomRate(Random random) {
		return switch (random.nextInt(3)) {
			case 0 -> 0.1;
			case 1 -> 0.25;
			default -> Math.max(Double.MIN_NORMAL, random.nextDouble() * Math.pow(10, -random.nextInt(8)));
		};
	}

}
