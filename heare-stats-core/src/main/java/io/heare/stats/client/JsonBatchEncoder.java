package io.heare.stats.client;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Comparator;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a batch as the JSON body of {@code docs/protocol.md}, shared by the HTTP and
 * WebSocket transports: empty members are left out, integral values are written as JSON
 * integers (as the Python client does), counters carry their scaled-up sums (JSON has no
 * place for a sample rate), and timer values recorded at several rates are merged.
 * Members are written in name order so that equal batches give equal bodies.
 * <p>
 * The encoder keeps its scratch room (the output buffer, the entries it sorts) from one
 * body to the next, so that a body costs the returned array and little else: it is used
 * by the sender thread only.
 */
final class JsonBatchEncoder {

	// Above 2^53 a double no longer holds every integer, so it is written as a double.
	private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992d;

	/** Sign, seven integer digits, point and nine decimals. */
	static final int MAX_PLAIN_DECIMAL_LENGTH = 18;

	private static final double[] POWERS_OF_TEN = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

	// An output buffer that grew past this for a very large body is not kept.
	private static final int MAX_RETAINED_BUFFER = 256 * 1024;

	private static final Comparator<Entry> BY_NAME = Comparator.comparing((entry) -> entry.name);

	private final JsonFactory factory = JsonFactory.builder().build();

	private Buffer out = new Buffer();

	private final char[] digits = new char[MAX_PLAIN_DECIMAL_LENGTH];

	// The entries of one member, sorted by name; the first {@code size} are in use.
	private Entry[] entries = new Entry[0];

	private int size;

	private final Batch.ScalarConsumer scalars = (name, value, updates) -> next().set(name, value, null, 0);

	private final Batch.ValuesConsumer series = (name, values, count, rate) -> next().set(name, 0, values, count);

	/** The batch as UTF-8 JSON bytes. */
	public byte[] encode(Batch batch) {
		Buffer out = this.out;
		out.reset();
		try (JsonGenerator json = this.factory.createGenerator(ObjectWriteContext.empty(), out)) {
			json.writeStartObject();
			batch.forEachCounter(this.scalars);
			writeScalars(json, "counters");
			batch.forEachGauge(this.scalars);
			writeScalars(json, "gauges");
			batch.forEachTimer(this.series);
			writeSeries(json, "timers");
			batch.forEachHistogram(this.series);
			writeSeries(json, "histograms");
			json.writeEndObject();
		}
		finally {
			release();
		}
		byte[] body = out.toByteArray();
		if (out.capacity() > MAX_RETAINED_BUFFER) {
			this.out = new Buffer();
		}
		return body;
	}

	private Entry next() {
		if (this.size == this.entries.length) {
			this.entries = Arrays.copyOf(this.entries, Math.max(16, this.size * 2));
		}
		Entry entry = this.entries[this.size];
		if (entry == null) {
			entry = new Entry();
			this.entries[this.size] = entry;
		}
		this.size++;
		return entry;
	}

	// Sorted by name, stable: values of one timer at several rates stay in batch order.
	private void sort() {
		Arrays.sort(this.entries, 0, this.size, BY_NAME);
	}

	// Drops the references to the batch's names and arrays, so that the scratch room
	// holds nothing of a batch once it is written.
	private void release() {
		for (int i = 0; i < this.size; i++) {
			this.entries[i].set(null, 0, null, 0);
		}
		this.size = 0;
	}

	private void writeScalars(JsonGenerator json, String member) {
		if (this.size == 0) {
			return;
		}
		sort();
		json.writeName(member);
		json.writeStartObject();
		for (int i = 0; i < this.size; i++) {
			Entry entry = this.entries[i];
			json.writeName(entry.name);
			writeNumber(json, entry.value, this.digits);
		}
		json.writeEndObject();
		release();
	}

	private void writeSeries(JsonGenerator json, String member) {
		if (this.size == 0) {
			return;
		}
		sort();
		json.writeName(member);
		json.writeStartObject();
		String name = null;
		for (int i = 0; i < this.size; i++) {
			Entry entry = this.entries[i];
			if (!entry.name.equals(name)) {
				if (name != null) {
					json.writeEndArray();
				}
				name = entry.name;
				json.writeName(name);
				json.writeStartArray();
			}
			for (int v = 0; v < entry.count; v++) {
				writeNumber(json, entry.values[v], this.digits);
			}
		}
		json.writeEndArray();
		json.writeEndObject();
		release();
	}

	// digits: scratch room for plainDecimal.
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
		// Most timings are nanoseconds over 10^6: one rounding at six decimals finds
		// their fewest decimals by the zeros it ends in, where the loop below would round
		// up to six times.
		long micros = Math.round(abs * 1e6);
		if (micros / 1e6 == abs) {
			int decimals = 6;
			long scaled = micros;
			while (scaled % 10 == 0) {
				scaled /= 10;
				decimals--;
			}
			return (decimals > 0) ? write(value, abs, scaled, decimals, out) : -1;
		}
		for (int decimals = 7; decimals < POWERS_OF_TEN.length; decimals++) {
			double scale = POWERS_OF_TEN[decimals];
			long scaled = Math.round(abs * scale);
			if (scaled / scale == abs) {
				return write(value, abs, scaled, decimals, out);
			}
		}
		return -1;
	}

	// value as scaled * 10^-decimals, the fewest decimals that read back as it.
	private static int write(double value, double abs, long scaled, int decimals, char[] out) {
		double scale = POWERS_OF_TEN[decimals];
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

	/** One counter, gauge, or the values of a timer or histogram at one rate. */
	private static final class Entry {

		String name;

		double value;

		double[] values;

		int count;

		void set(String name, double value, double[] values, int count) {
			this.name = name;
			this.value = value;
			this.values = values;
			this.count = count;
		}

	}

	/** A byte array output stream that keeps its array across bodies. */
	private static final class Buffer extends ByteArrayOutputStream {

		Buffer() {
			super(4096);
		}

		int capacity() {
			return this.buf.length;
		}

	}

}
