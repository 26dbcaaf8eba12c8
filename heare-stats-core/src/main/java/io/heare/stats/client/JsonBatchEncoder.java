package io.heare.stats.client;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a batch as the JSON body of {@code docs/protocol.md}, shared by the HTTP and
 * WebSocket transports: empty members are left out, integral values are written as JSON
 * integers (as the Python client does), counters carry their scaled-up sums (JSON has no
 * place for a sample rate), and timer values recorded at several rates are merged.
 * Members are written in name order so that equal batches give equal bodies.
 */
final class JsonBatchEncoder {

	// Above 2^53 a double no longer holds every integer, so it is written as a double.
	private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992d;

	/** Sign, seven integer digits, point and nine decimals. */
	static final int MAX_PLAIN_DECIMAL_LENGTH = 18;

	private static final double[] POWERS_OF_TEN = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

	private final JsonFactory factory = JsonFactory.builder().build();

	/** The batch as UTF-8 JSON bytes. */
	public byte[] encode(Batch batch) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256 + batch.size() * 48);
		try (JsonGenerator json = this.factory.createGenerator(ObjectWriteContext.empty(), out)) {
			char[] digits = new char[MAX_PLAIN_DECIMAL_LENGTH];
			json.writeStartObject();
			writeScalars(json, "counters", counters(batch), digits);
			writeScalars(json, "gauges", gauges(batch), digits);
			writeSeries(json, "timers", timers(batch), digits);
			writeSeries(json, "histograms", histograms(batch), digits);
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	private static Map<String, Double> counters(Batch batch) {
		Map<String, Double> counters = new TreeMap<>();
		batch.forEachCounter((name, value, updates) -> counters.put(name, value));
		return counters;
	}

	private static Map<String, Double> gauges(Batch batch) {
		Map<String, Double> gauges = new TreeMap<>();
		batch.forEachGauge((name, value, updates) -> gauges.put(name, value));
		return gauges;
	}

	private static Map<String, List<double[]>> timers(Batch batch) {
		Map<String, List<double[]>> timers = new TreeMap<>();
		batch.forEachTimer((name, values, count, rate) -> collect(timers, name, values, count));
		return timers;
	}

	private static Map<String, List<double[]>> histograms(Batch batch) {
		Map<String, List<double[]>> histograms = new TreeMap<>();
		batch.forEachHistogram((name, values, count, rate) -> collect(histograms, name, values, count));
		return histograms;
	}

	private static void collect(Map<String, List<double[]>> target, String name, double[] values, int count) {
		double[] copy = new double[count];
		System.arraycopy(values, 0, copy, 0, count);
		target.computeIfAbsent(name, (key) -> new ArrayList<>(1)).add(copy);
	}

	private static void writeScalars(JsonGenerator json, String member, Map<String, Double> values, char[] digits) {
		if (values.isEmpty()) {
			return;
		}
		json.writeName(member);
		json.writeStartObject();
		for (Map.Entry<String, Double> entry : values.entrySet()) {
			json.writeName(entry.getKey());
			writeNumber(json, entry.getValue(), digits);
		}
		json.writeEndObject();
	}

	private static void writeSeries(JsonGenerator json, String member, Map<String, List<double[]>> series,
			char[] digits) {
		if (series.isEmpty()) {
			return;
		}
		json.writeName(member);
		json.writeStartObject();
		for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
			json.writeName(entry.getKey());
			json.writeStartArray();
			for (double[] values : entry.getValue()) {
				for (double value : values) {
					writeNumber(json, value, digits);
				}
			}
			json.writeEndArray();
		}
		json.writeEndObject();
	}

	// digits: scratch room for plainDecimal, reused across one body.
	static void writeNumber(JsonGenerator json, double number, char[] digits) {
		double value = Batch.finite(number);
		if (value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_INTEGER) {
			json.writeNumber((long) value);
			return;
		}
		int length = plainDecimal(value, digits);
		if (length > 0) {
			json.writeNumber(digits, 0, length);
		}
		else {
			json.writeNumber(value);
		}
	}

	/**
	 * Writes {@code value} into {@code out} as {@link Double#toString(double)} writes it,
	 * for the values timings mostly are (from 10^-9 to 10^7, with at most nine decimals,
	 * such as nanoseconds over 10^6, including the sub-microsecond durations of a fast
	 * method), without making a string: such a value's shortest decimal is the one with
	 * the fewest decimals that reads back as the value, provided no other decimal with
	 * that many decimals does too. Below 10^-3 it is written in Java's computerized
	 * scientific notation ({@code 8.34E-4}), as {@code Double.toString} does.
	 * @param value a finite value that is not an integer
	 * @param out room for {@link #MAX_PLAIN_DECIMAL_LENGTH} characters
	 * @return the number of characters written, or {@code -1} when {@code value} is not
	 * such a value (the caller then writes it the usual way)
	 */
	static int plainDecimal(double value, char[] out) {
		double abs = Math.abs(value);
		if (!(abs >= 1e-9 && abs < 1e7)) {
			return -1;
		}
		for (int decimals = 1; decimals < POWERS_OF_TEN.length; decimals++) {
			double scale = POWERS_OF_TEN[decimals];
			long scaled = Math.round(abs * scale);
			if (scaled / scale != abs) {
				continue;
			}
			if (Math.ulp(abs) * 2 >= 1 / scale) {
				// Several decimals this long could read back as the value: not a case to
				// decide here.
				return -1;
			}
			int length = 0;
			if (value < 0) {
				out[length++] = '-';
			}
			if (abs < 1e-3) {
				return scientific(scaled, decimals, out, length);
			}
			long unit = (long) scale;
			length = writeDigits(scaled / unit, out, length, 1);
			out[length++] = '.';
			return writeDigits(scaled % unit, out, length, decimals);
		}
		return -1;
	}

	// scaled * 10^-decimals, below 10^-3, as d.dddE-n (at least one digit after the
	// point).
	private static int scientific(long scaled, int decimals, char[] out, int position) {
		int digits = writeDigits(scaled, out, position, 1) - position;
		int length = position + digits;
		// Shift the digits after the first one place right to make room for the point.
		for (int i = length; i > position + 1; i--) {
			out[i] = out[i - 1];
		}
		out[position + 1] = '.';
		length++;
		if (digits == 1) {
			out[length++] = '0';
		}
		out[length++] = 'E';
		out[length++] = '-';
		return writeDigits(decimals - digits + 1, out, length, 1);
	}

	// The decimal digits of a non-negative value, left-padded with zeros to minDigits.
	private static int writeDigits(long value, char[] out, int position, int minDigits) {
		int digits = 1;
		for (long rest = value / 10; rest > 0; rest /= 10) {
			digits++;
		}
		digits = Math.max(digits, minDigits);
		long rest = value;
		for (int i = position + digits - 1; i >= position; i--) {
			out[i] = (char) ('0' + (rest % 10));
			rest /= 10;
		}
		return position + digits;
	}

}
