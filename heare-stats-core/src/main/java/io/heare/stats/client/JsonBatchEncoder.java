package io.heare.stats.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Writes a batch as the JSON body of {@code docs/protocol.md}, shared by the HTTP and
 * WebSocket transports: empty members are left out, integral values are written as JSON
 * integers (as the Python client does), counters carry their scaled-up sums (JSON has no
 * place for a sample rate), and timer values recorded at several rates are merged.
 * Members are written in name order so that equal batches give equal bodies.
 * <p>
 * The body is written byte by byte: its grammar is a fixed nesting of objects, arrays and
 * numbers whose only strings are metric names, so a JSON library would add a dependency
 * and a character-to-byte pass without adding anything the body needs.
 * <p>
 * The encoder keeps its scratch room (the output buffer, the entries it sorts) from one
 * body to the next, so that a body costs the returned array and little else, or nothing
 * at all when written in place: it is used by the sender thread only.
 */
final class JsonBatchEncoder {

	// Above 2^53 a double no longer holds every integer, so it is written as a double.
	private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992d;

	/** Sign, seven integer digits, point and nine decimals. */
	static final int MAX_PLAIN_DECIMAL_LENGTH = 18;

	private static final double[] POWERS_OF_TEN = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

	// An output buffer that grew past this for a very large body is not kept for the
	// next.
	private static final int MAX_RETAINED_BUFFER = 256 * 1024;

	private static final Comparator<Entry> BY_NAME = Comparator.comparing((entry) -> entry.name);

	private Buffer out = new Buffer();

	private final char[] digits = new char[MAX_PLAIN_DECIMAL_LENGTH];

	// The entries of one member, sorted by name; the first {@code size} are in use.
	private Entry[] entries = new Entry[0];

	private int size;

	private final Batch.ScalarConsumer scalars = (name, value, updates) -> next().set(name, value, null, 0);

	private final Batch.ValuesConsumer series = (name, values, count, rate) -> next().set(name, 0, values, count);

	/** The batch as UTF-8 JSON bytes. */
	public byte[] encode(Batch batch) {
		ByteBuffer body = encodeInPlace(batch);
		return Arrays.copyOfRange(body.array(), body.position(), body.limit());
	}

	/**
	 * The batch as UTF-8 JSON bytes in the encoder's own buffer, for a caller that is
	 * done with them before it encodes the next batch: a body of a few dozen kilobytes a
	 * few times a second is then written without being copied into an array of its own.
	 * @return a view of the bytes, valid until the next call
	 */
	ByteBuffer encodeInPlace(Batch batch) {
		if (this.out.capacity() > MAX_RETAINED_BUFFER) {
			this.out = new Buffer();
		}
		Buffer out = this.out;
		out.reset();
		out.write('{');
		try {
			batch.forEachCounter(this.scalars);
			writeScalars(out, "counters");
			batch.forEachGauge(this.scalars);
			writeScalars(out, "gauges");
			batch.forEachTimer(this.series);
			writeSeries(out, "timers");
			batch.forEachHistogram(this.series);
			writeSeries(out, "histograms");
		}
		finally {
			release();
		}
		out.write('}');
		return out.view();
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

	private void writeScalars(Buffer out, String member) {
		if (this.size == 0) {
			return;
		}
		sort();
		out.member(member);
		out.write('{');
		for (int i = 0; i < this.size; i++) {
			Entry entry = this.entries[i];
			if (i > 0) {
				out.write(',');
			}
			out.name(entry.name);
			writeNumber(out, entry.value, this.digits);
		}
		out.write('}');
		release();
	}

	private void writeSeries(Buffer out, String member) {
		if (this.size == 0) {
			return;
		}
		sort();
		out.member(member);
		out.write('{');
		String name = null;
		boolean comma = false;
		for (int i = 0; i < this.size; i++) {
			Entry entry = this.entries[i];
			if (!entry.name.equals(name)) {
				if (name != null) {
					out.write(']');
					out.write(',');
				}
				name = entry.name;
				out.name(name);
				out.write('[');
				comma = false;
			}
			for (int v = 0; v < entry.count; v++) {
				if (comma) {
					out.write(',');
				}
				writeNumber(out, entry.values[v], this.digits);
				comma = true;
			}
		}
		out.write(']');
		out.write('}');
		release();
	}

	// digits: scratch room for plainDecimal.
	static void writeNumber(Buffer out, double number, char[] digits) {
		double value = Batch.finite(number);
		double abs = Math.abs(value);
		if (value == Math.rint(value) && abs <= MAX_EXACT_INTEGER) {
			out.integer((long) value);
			return;
		}
		if (abs >= 1e-3 && abs < 1e7) {
			// Most values (nanoseconds over 10^6) take plainDecimal's first way, whose
			// digits go straight to the buffer here: in that range, no other decimal
			// with at most six decimals reads back as the value, and one that is not an
			// integer has a last decimal that is not zero.
			long micros = Math.round(abs * 1e6);
			if (micros / 1e6 == abs) {
				out.micros(value < 0, micros);
				return;
			}
		}
		int length = plainDecimal(value, digits);
		if (length > 0) {
			out.ascii(digits, length);
		}
		else if (Double.isNaN(value)) {
			// Not valid as a JSON number: written as the string JSON writers use for it.
			out.ascii("\"NaN\"");
		}
		else {
			out.ascii(Double.toString(value));
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
	// Digits are counted by comparison and, once the rest fits, divided out as ints: a
	// division by ten is a multiplication, cheaper in 32 bits than in 64.
	private static int writeDigits(long value, char[] out, int position, int minDigits) {
		int end = position + Math.max(digitCount(value), minDigits);
		int at = end;
		long rest = value;
		while (rest > Integer.MAX_VALUE) {
			long next = rest / 10;
			out[--at] = (char) ('0' + (rest - next * 10));
			rest = next;
		}
		int small = (int) rest;
		while (at > position) {
			int next = small / 10;
			out[--at] = (char) ('0' + (small - next * 10));
			small = next;
		}
		return end;
	}

	// The number of decimal digits of a non-negative value.
	static int digitCount(long value) {
		int digits = 1;
		for (long bound = 10; digits < 19 && value >= bound; bound *= 10) {
			digits++;
		}
		return digits;
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

	/** The body being written, in an array kept across bodies. */
	static final class Buffer {

		private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

		// "00" to "99": a division by 100 gives two digits.
		private static final byte[] DIGIT_PAIRS = digitPairs();

		private byte[] bytes = new byte[4096];

		private int length;

		// Whether the object being written has a member yet, for the top level.
		private boolean hasMember;

		private static byte[] digitPairs() {
			byte[] pairs = new byte[200];
			for (int i = 0; i < 100; i++) {
				pairs[i * 2] = (byte) ('0' + i / 10);
				pairs[i * 2 + 1] = (byte) ('0' + i % 10);
			}
			return pairs;
		}

		void reset() {
			this.length = 0;
			this.hasMember = false;
		}

		int capacity() {
			return this.bytes.length;
		}

		ByteBuffer view() {
			return ByteBuffer.wrap(this.bytes, 0, this.length);
		}

		void write(char c) {
			room(1);
			this.bytes[this.length++] = (byte) c;
		}

		// A member of the top-level object: its name, after a comma unless it is the
		// first.
		void member(String name) {
			if (this.hasMember) {
				write(',');
			}
			this.hasMember = true;
			name(name);
		}

		// A quoted, escaped name and its colon.
		void name(String name) {
			int n = name.length();
			room(n + 3);
			this.bytes[this.length++] = '"';
			for (int i = 0; i < n; i++) {
				char c = name.charAt(i);
				if (c < 0x80 && c >= 0x20 && c != '"' && c != '\\') {
					this.bytes[this.length++] = (byte) c;
				}
				else {
					i += escaped(name, i) - 1;
					room(n - i + 2);
				}
			}
			this.bytes[this.length++] = '"';
			this.bytes[this.length++] = ':';
		}

		// The character at {@code index} of {@code name}, which is not printable ASCII,
		// escaped or in UTF-8; returns how many chars of {@code name} it took. Names are
		// sanitized to printable ASCII, so this is a safeguard.
		private int escaped(String name, int index) {
			char c = name.charAt(index);
			if (c == '"' || c == '\\') {
				room(2);
				this.bytes[this.length++] = '\\';
				this.bytes[this.length++] = (byte) c;
				return 1;
			}
			if (c < 0x20) {
				room(6);
				this.bytes[this.length++] = '\\';
				this.bytes[this.length++] = 'u';
				this.bytes[this.length++] = '0';
				this.bytes[this.length++] = '0';
				this.bytes[this.length++] = HEX[c >> 4];
				this.bytes[this.length++] = HEX[c & 0xf];
				return 1;
			}
			int codePoint = name.codePointAt(index);
			int chars = Character.charCount(codePoint);
			byte[] utf8 = name.substring(index, index + chars).getBytes(StandardCharsets.UTF_8);
			room(utf8.length);
			System.arraycopy(utf8, 0, this.bytes, this.length, utf8.length);
			this.length += utf8.length;
			return chars;
		}

		void integer(long value) {
			room(20);
			if (value < 0) {
				this.bytes[this.length++] = '-';
			}
			// Values are at most 2^53 in size, so the most negative long never comes.
			long abs = Math.abs(value);
			int at = this.length + digitCount(abs);
			this.length = at;
			long rest = abs;
			do {
				long next = rest / 10;
				this.bytes[--at] = (byte) ('0' + (rest - next * 10));
				rest = next;
			}
			while (rest > 0);
		}

		// micros * 10^-6 with the decimals it needs, at least one: a value that is not
		// an integer, below 10^7.
		void micros(boolean negative, long micros) {
			room(MAX_PLAIN_DECIMAL_LENGTH);
			int whole = (int) (micros / 1_000_000);
			int fraction = (int) (micros - whole * 1_000_000L);
			byte[] bytes = this.bytes;
			int point = this.length;
			if (negative) {
				bytes[point++] = '-';
			}
			point += digitCount(whole);
			int at = point;
			do {
				int next = whole / 10;
				bytes[--at] = (byte) ('0' + (whole - next * 10));
				whole = next;
			}
			while (whole > 0);
			bytes[point] = '.';
			// All six decimals in pairs, then the zeros at the end taken off again: the
			// value is not an integer, so a decimal that is not zero stops the loop.
			int first = fraction / 10_000;
			int rest = fraction - first * 10_000;
			int second = rest / 100;
			pair(bytes, point + 1, first);
			pair(bytes, point + 3, second);
			pair(bytes, point + 5, rest - second * 100);
			int last = point + 6;
			while (bytes[last] == '0') {
				last--;
			}
			this.length = last + 1;
		}

		private static void pair(byte[] bytes, int at, int value) {
			bytes[at] = DIGIT_PAIRS[value * 2];
			bytes[at + 1] = DIGIT_PAIRS[value * 2 + 1];
		}

		void ascii(char[] chars, int count) {
			room(count);
			for (int i = 0; i < count; i++) {
				this.bytes[this.length++] = (byte) chars[i];
			}
		}

		void ascii(String text) {
			int n = text.length();
			room(n);
			for (int i = 0; i < n; i++) {
				this.bytes[this.length++] = (byte) text.charAt(i);
			}
		}

		private void room(int more) {
			if (this.length + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.length + more, this.bytes.length * 2));
			}
		}

	}

}
