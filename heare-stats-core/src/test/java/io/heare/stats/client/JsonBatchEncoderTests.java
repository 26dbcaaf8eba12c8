package io.heare.stats.client;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JsonBatchEncoder}: the exact JSON body the HTTP and WebSocket
 * transports send.
 */
class JsonBatchEncoderTests {

	private static final int NO_LIMIT = Integer.MAX_VALUE;

	private final JsonBatchEncoder encoder = new JsonBatchEncoder();

	private final Batch batch = new Batch();

	@Test
	void anEmptyBatchIsAnEmptyObject() {
		assertThat(encode()).isEqualTo("{}");
	}

	@Test
	void everyKindIsWrittenInItsMemberInNameOrder() {
		this.batch.addHistogram("size", 1, new double[] { 512, 2048 }, 2, NO_LIMIT);
		this.batch.addTimer("db", 1, new double[] { 3, 1.5 }, 2, NO_LIMIT);
		this.batch.setGauge("queue", 7);
		this.batch.setGauge("load", 0.75);
		this.batch.addCounter("requests", 2, 2);
		this.batch.addCounter("errors", 1, 1);
		assertThat(encode()).isEqualTo("{\"counters\":{\"errors\":1,\"requests\":2},"
				+ "\"gauges\":{\"load\":0.75,\"queue\":7},\"timers\":{\"db\":[3,1.5]},\"histograms\":{\"size\":[512,2048]}}");
	}

	@Test
	void onlyTheValuesABatchTookAreWritten() {
		this.batch.addTimer("t", 1, new double[] { 1, 2, 3, 4 }, 3, NO_LIMIT);
		this.batch.addHistogram("h", 1, new double[] { 5, 6, 7 }, 3, 4);
		assertThat(encode()).isEqualTo("{\"timers\":{\"t\":[1,2,3]},\"histograms\":{\"h\":[5]}}");
	}

	@Test
	void aCounterIsWrittenAsTheSumOfItsScaledUpValuesWhateverTheirRates() {
		// The aggregator scales a sampled update up before it reaches the batch: 3 at 1/4
		// is 12.
		this.batch.addCounter("hits", 3 / 0.25, 1);
		this.batch.addCounter("hits", 2, 2);
		this.batch.addCounter("hits", 1 / 0.5, 1);
		this.batch.addCounter("misses", 1 / 0.125, 1);
		assertThat(encode()).isEqualTo("{\"counters\":{\"hits\":16,\"misses\":8}}");
	}

	@Test
	void theUpdatesACounterStandsForAreNotWritten() {
		this.batch.addCounter("hits", 16, 4);
		this.batch.setGauge("load", 0.5, 3);
		assertThat(encode()).isEqualTo("{\"counters\":{\"hits\":16},\"gauges\":{\"load\":0.5}}");
	}

	@Test
	void timerValuesRecordedAtSeveralRatesAreJoinedUnderOneName() {
		this.batch.addTimer("db", 1, new double[] { 1, 2 }, 2, NO_LIMIT);
		this.batch.addTimer("db", 0.5, new double[] { 3 }, 1, NO_LIMIT);
		this.batch.addHistogram("size", 0.1, new double[] { 4 }, 1, NO_LIMIT);
		this.batch.addHistogram("size", 1, new double[] { 5 }, 1, NO_LIMIT);
		assertThat(encode()).isEqualTo("{\"timers\":{\"db\":[1,2,3]},\"histograms\":{\"size\":[4,5]}}");
	}

	@Test
	void wholeNumbersAreWrittenAsIntegersAsLongAsADoubleHoldsThemExactly() {
		double largestExact = 9_007_199_254_740_992d;
		this.batch.setGauge("a.zero", 0);
		this.batch.setGauge("b.negative", -42);
		this.batch.setGauge("c.largest", largestExact);
		this.batch.setGauge("d.most.negative", -largestExact);
		this.batch.setGauge("e.beyond", largestExact * 2);
		this.batch.setGauge("f.fraction", -0.5);
		this.batch.setGauge("g.max", Double.MAX_VALUE);
		assertThat(encode()).isEqualTo("{\"gauges\":{\"a.zero\":0,\"b.negative\":-42,\"c.largest\":9007199254740992,"
				+ "\"d.most.negative\":-9007199254740992,\"e.beyond\":1.8014398509481984E16,\"f.fraction\":-0.5,"
				+ "\"g.max\":1.7976931348623157E308}}");
	}

	@Test
	void equalBatchesGiveEqualBodies() {
		Batch other = new Batch();
		this.batch.addCounter("b", 1, 1);
		this.batch.addCounter("a", 1, 1);
		other.addCounter("a", 1, 1);
		other.addCounter("b", 1, 1);
		assertThat(this.encoder.encode(this.batch)).isEqualTo(this.encoder.encode(other));
	}

	@Test
	void anEncoderThatWroteOtherBatchesWritesWhatAFreshOneWrites() {
		Batch large = new Batch();
		for (int i = 0; i < 20_000; i++) {
			large.addCounter("counter." + i, i, 1);
			large.addTimer("timer." + (i % 7), (i % 2 == 0) ? 1 : 0.5, new double[] { i / 1000d }, 1, NO_LIMIT);
		}
		this.batch.addTimer("db", 0.5, new double[] { 3 }, 1, NO_LIMIT);
		this.batch.addTimer("db", 1, new double[] { 1, 2 }, 2, NO_LIMIT);
		this.batch.addCounter("requests", 2, 2);
		this.batch.setGauge("load", 0.75);
		this.batch.addHistogram("size", 1, new double[] { 512 }, 1, NO_LIMIT);
		Batch small = new Batch();
		small.addTimer("a", 1, new double[] { 0.5 }, 1, NO_LIMIT);
		byte[] expectedLarge = new JsonBatchEncoder().encode(large);
		byte[] expected = new JsonBatchEncoder().encode(this.batch);
		byte[] expectedSmall = new JsonBatchEncoder().encode(small);
		for (int round = 0; round < 3; round++) {
			assertThat(this.encoder.encode(this.batch)).isEqualTo(expected);
			assertThat(this.encoder.encode(large)).isEqualTo(expectedLarge);
			assertThat(this.encoder.encode(small)).isEqualTo(expectedSmall);
			assertThat(this.encoder.encode(new Batch())).asString(StandardCharsets.UTF_8).isEqualTo("{}");
		}
		assertThat(new String(expected, StandardCharsets.UTF_8)).isEqualTo("{\"counters\":{\"requests\":2},"
				+ "\"gauges\":{\"load\":0.75},\"timers\":{\"db\":[3,1,2]},\"histograms\":{\"size\":[512]}}");
		assertThat(new String(expectedSmall, StandardCharsets.UTF_8)).isEqualTo("{\"timers\":{\"a\":[0.5]}}");
	}

	@Test
	void anEncoderKeepsNothingOfABatchItWrote() {
		// Built at run time, so that only the batch (and whatever keeps a reference to
		// it) holds each name and array.
		Batch written = new Batch();
		String counter = new String("requests.".toCharArray()) + 1;
		String timer = new String("db.".toCharArray()) + 2;
		double[] values = { 1.5, 2.5 };
		written.addCounter(counter, 2, 2);
		written.addTimer(timer, 1, values, 2, NO_LIMIT);
		assertThat(this.encoder.encode(written)).asString(StandardCharsets.UTF_8)
			.isEqualTo("{\"counters\":{\"requests.1\":2},\"timers\":{\"db.2\":[1.5,2.5]}}");
		java.lang.ref.WeakReference<String> counterName = new java.lang.ref.WeakReference<>(counter);
		java.lang.ref.WeakReference<String> timerName = new java.lang.ref.WeakReference<>(timer);
		written = null;
		counter = null;
		timer = null;
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(() -> {
			System.gc();
			return counterName.get() == null && timerName.get() == null;
		});
		// The encoder still writes.
		assertThat(encode()).isEqualTo("{}");
	}

	private String encode() {
		return new String(this.encoder.encode(this.batch), StandardCharsets.UTF_8);
	}

}
