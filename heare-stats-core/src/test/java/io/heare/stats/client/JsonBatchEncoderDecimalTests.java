package io.heare.stats.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the decimals {@link JsonBatchEncoder} writes without {@link Double#toString}.
 */
class JsonBatchEncoderDecimalTests {

	private final char[] out = new char[JsonBatchEncoder.MAX_PLAIN_DECIMAL_LENGTH];

	@Test
	void timingsInMillisecondsAreWrittenAsDoubleToStringWritesThem() {
		SplittableRandom random = new SplittableRandom(18);
		int written = 0;
		for (int i = 0; i < 500_000; i++) {
			// Nanoseconds from 1 ns to 3 hours, as the instrumentation turns them into
			// milliseconds.
			long nanos = (long) Math.pow(10, random.nextDouble() * 13);
			double millis = nanos / 1_000_000d;
			if (millis != Math.rint(millis)) {
				written += check(millis);
				written += check(-millis);
			}
		}
		assertThat(written).isGreaterThan(750_000);
	}

	@Test
	void timingsInMillisecondsGoIntoTheBodyAsDoubleToStringWritesThem() {
		SplittableRandom random = new SplittableRandom(19);
		JsonBatchEncoder.Buffer buffer = new JsonBatchEncoder.Buffer();
		for (int i = 0; i < 500_000; i++) {
			long nanos = (long) Math.pow(10, random.nextDouble() * 13);
			double millis = nanos / 1_000_000d;
			for (double value : new double[] { millis, -millis }) {
				String expected = (value == Math.rint(value)) ? Long.toString((long) value) : Double.toString(value);
				assertThat(written(buffer, value)).as("%s", value).isEqualTo(expected);
			}
		}
		for (double value : new double[] { 0.001, -0.001, 0.0015, 0.999999, 1.000001, 9999999.999999, 0.5, 10.25,
				1234567.1, 0.000999, 9999999.9999999 }) {
			assertThat(written(buffer, value)).as("%s", value).isEqualTo(Double.toString(value));
		}
	}

	@Test
	void subMicrosecondTimingsAreWrittenInScientificNotationAsDoubleToStringWritesThem() {
		for (long nanos = 1; nanos < 1000; nanos++) {
			double millis = nanos / 1_000_000d;
			assertThat(check(millis)).as("%s written without Double.toString", millis).isOne();
			assertThat(check(-millis)).as("%s written without Double.toString", -millis).isOne();
		}
		assertThat(write(8.34E-4)).isEqualTo("8.34E-4");
		assertThat(write(5.0E-4)).isEqualTo("5.0E-4");
		assertThat(write(-1.0E-6)).isEqualTo("-1.0E-6");
		assertThat(write(1.23456E-4)).isEqualTo("1.23456E-4");
	}

	@Test
	void decimalsWithUpToNineDigitsAreWrittenAsDoubleToStringWritesThem() {
		SplittableRandom random = new SplittableRandom(81);
		int written = 0;
		for (int i = 0; i < 300_000; i++) {
			int decimals = 1 + random.nextInt(9);
			double value = random.nextLong(1, 10_000_000_000_000_000L) / Math.pow(10, decimals + random.nextInt(7));
			if (value != Math.rint(value)) {
				written += check(value);
			}
		}
		assertThat(written).as("values written without Double.toString").isGreaterThan(1_000);
	}

	@Test
	void edgesOfTheRangeAreWrittenAsDoubleToStringWritesThem() {
		for (double value : new double[] { 0.001, 0.0015, 0.999999999, 1.5, 9999999.5, 0.1, 0.2, 0.3, 123.456,
				1234567.123456789, -2.5 }) {
			assertThat(check(value)).as("%s written without Double.toString", value).isOne();
		}
		for (double value : new double[] { 9999999.999999, 0.1 + 0.2, 5.0E-4, 1.0E7 + 0.5, Math.PI }) {
			check(value);
		}
	}

	@Test
	void valuesOutsideTheRangeOrWithMoreDecimalsAreLeftToDoubleToString() {
		for (double value : new double[] { 9.99E-10, 1.0E7 + 0.5, 1.0E20 + 0.5, Math.PI, 0.1 + 0.2, 1 / 3d,
				1.234567891E-4 }) {
			assertThat(JsonBatchEncoder.plainDecimal(value, this.out)).as("%s", value).isEqualTo(-1);
		}
		assertThat(JsonBatchEncoder.plainDecimal(0.012345, this.out)).isEqualTo(8);
	}

	private String written(JsonBatchEncoder.Buffer buffer, double value) {
		buffer.reset();
		JsonBatchEncoder.writeNumber(buffer, value, this.out);
		ByteBuffer body = buffer.view();
		return new String(body.array(), body.position(), body.remaining(), StandardCharsets.US_ASCII);
	}

	private String write(double value) {
		int length = JsonBatchEncoder.plainDecimal(value, this.out);
		assertThat(length).as("%s written without Double.toString", value).isPositive();
		return new String(this.out, 0, length);
	}

	// 1 when the value was written without Double.toString (and as it would write it), 0
	// when left to it.
	private int check(double value) {
		int length = JsonBatchEncoder.plainDecimal(value, this.out);
		if (length < 0) {
			return 0;
		}
		assertThat(new String(this.out, 0, length)).as("%s", value).isEqualTo(Double.toString(value));
		return 1;
	}

}
