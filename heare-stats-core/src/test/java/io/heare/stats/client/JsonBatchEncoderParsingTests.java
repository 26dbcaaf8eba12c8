package io.heare.stats.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a JSON parser (Jackson's, as a service might use) reads back from
 * {@link JsonBatchEncoder}'s bodies exactly the names and values of the batch.
 */
class JsonBatchEncoderParsingTests {

	private final JsonBatchEncoder encoder = new JsonBatchEncoder();

	@Test
	void namesThatNeedEscapingOrAreNotAsciiReadBackAsTheyWere() {
		List<String> names = List.of("quote\"d", "back\\slash", "tab\tand\nnewline", "nul\u0000", "\u001f", "caf\u00e9",
				"\u65e5\u672c", "emoji\ud83d\ude00", "lone\ud83d", "\u007f.del", "plain.name-1_2");
		Batch batch = new Batch();
		for (int i = 0; i < names.size(); i++) {
			batch.addCounter(names.get(i), i + 1);
			batch.addTimer(names.get(i), 1, new double[] { i + 0.5 }, 1, Integer.MAX_VALUE);
		}
		ReceivedMetrics received = read(batch);
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			// A lone surrogate has no UTF-8 form; it arrives as the replacement '?'.
			String expected = name.equals("lone\ud83d") ? "lone?" : name;
			assertThat(received.counters).containsEntry(expected, (double) (i + 1));
			assertThat(received.timers).containsEntry(expected, List.of(i + 0.5));
		}
	}

	@Test
	void namesLongerThanTheBufferWithEscapesAndWideCharactersThroughoutReadBackAsTheyWere() {
		// Each name outgrows the encoder's first buffer several times over, in the middle
		// of escapes and multi-byte characters.
		List<String> names = List.of("\"\u0001\u00e9".repeat(3000), "a".repeat(5000) + "\u65e5".repeat(3000),
				"\ud83d\ude00\\".repeat(2000));
		Batch batch = new Batch();
		for (int i = 0; i < names.size(); i++) {
			batch.addCounter(names.get(i), i + 1);
		}
		assertThat(read(batch).counters).containsOnlyKeys(names);
		// Plain characters right after an escape that filled the buffer to its end, at
		// every offset an escape of six bytes and one plain character can take.
		for (int offset = 0; offset < 14; offset++) {
			String name = "x".repeat(offset) + "\u0001a".repeat(3000);
			Batch one = new Batch();
			one.addCounter(name, 1);
			ReceivedMetrics received = new ReceivedMetrics();
			received.add(new String(new JsonBatchEncoder().encode(one), StandardCharsets.UTF_8));
			assertThat(received.counters).as("offset %d", offset).containsOnlyKeys(name);
		}
	}

	@Test
	void everyKindOfNumberReadsBackAsTheSameDouble() {
		SplittableRandom random = new SplittableRandom(42);
		Batch batch = new Batch();
		Map<String, List<Double>> expected = new TreeMap<>();
		double[] edges = { 0, -0.0, 1, -1, 9_007_199_254_740_992d, -9_007_199_254_740_992d, 9_007_199_254_740_994d,
				Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 1e-9, 1e7, 0.1, 1.0 / 3, 1e300, -2.5e-12,
				123456.789, Long.MAX_VALUE, Long.MIN_VALUE };
		add(batch, expected, "edges", edges);
		double[] timings = new double[2000];
		for (int i = 0; i < timings.length; i++) {
			timings[i] = random.nextLong(0, 10_000_000_000L) / 1_000_000d;
		}
		add(batch, expected, "timings", timings);
		double[] any = new double[2000];
		for (int i = 0; i < any.length; i++) {
			any[i] = Double.longBitsToDouble(random.nextLong());
			if (!Double.isFinite(any[i])) {
				any[i] = random.nextDouble();
			}
		}
		add(batch, expected, "any", any);
		assertThat(read(batch).histograms).isEqualTo(expected);
	}

	@Test
	void infiniteValuesReadBackAsTheLargestFiniteOnes() {
		Batch batch = new Batch();
		batch.setGauge("up", Double.POSITIVE_INFINITY);
		batch.setGauge("down", Double.NEGATIVE_INFINITY);
		assertThat(read(batch).gauges).containsEntry("up", Double.MAX_VALUE).containsEntry("down", -Double.MAX_VALUE);
	}

	private static void add(Batch batch, Map<String, List<Double>> expected, String name, double[] values) {
		batch.addHistogram(name, 1, values, values.length, Integer.MAX_VALUE);
		List<Double> list = new ArrayList<>();
		for (double value : values) {
			// -0.0 is an integer: written as 0.
			list.add((value == 0) ? 0.0 : value);
		}
		expected.put(name, list);
	}

	private ReceivedMetrics read(Batch batch) {
		ReceivedMetrics received = new ReceivedMetrics();
		received.add(new String(this.encoder.encode(batch), StandardCharsets.UTF_8));
		return received;
	}

}
