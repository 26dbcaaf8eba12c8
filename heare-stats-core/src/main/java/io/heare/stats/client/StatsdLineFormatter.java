package io.heare.stats.client;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a batch as StatsD lines, {@code <name>:<value>|<type>[|@<rate>]}, for one
 * {@link StatsdFlavor}, without any I/O: counters {@code c} (one line per merged counter,
 * its scaled-up sum, no rate), gauges {@code g}, timers {@code ms} and histograms as
 * their {@link HistogramType}, one line per value; a sampled timer value carries
 * {@code |@rate} only in a flavor that {@linkplain StatsdFlavor#writesSampleRates()
 * writes rates}.
 * <p>
 * A negative gauge is written as {@code name:0|g} then {@code name:-5|g}, because a
 * signed value alone means "add to the current gauge". Integral values are written as
 * integers and others in plain decimal, never in exponent notation, which StatsD parsers
 * do not all read.
 * <p>
 * Each line is handed over in one reused byte array, so formatting a batch allocates
 * nothing for names and integral values. An instance belongs to one thread (the
 * sender's).
 */
final class StatsdLineFormatter {

	// Below 2^63 an integral double converts to a long exactly.
	private static final double LONG_LIMIT = 9.223372036854775807E18;

	private final byte[] typeCounter = ascii("c");

	private final byte[] typeGauge = ascii("g");

	private final byte[] typeTimer = ascii("ms");

	private final byte[] typeHistogram;

	private final boolean sampleRates;

	// Built once: a lambda that captures this allocates on every call.
	private final Batch.ScalarConsumer counterLines = (name, value, updates) -> emit(name, value, this.typeCounter, 1,
			updates);

	private final Batch.ScalarConsumer gaugeLines = this::gauge;

	private final Batch.ValuesConsumer timerLines = (name, values, count, rate) -> emitAll(name, values, count,
			this.typeTimer, rate);

	private final Batch.ValuesConsumer histogramLines;

	private byte[] line = new byte[256];

	private int length;

	private LineConsumer consumer;

	/** A formatter for {@link StatsdFlavor#HEARE the heare relay}. */
	public StatsdLineFormatter() {
		this(StatsdFlavor.HEARE, null);
	}

	/**
	 * A formatter for {@code flavor}.
	 * @param flavor the daemon to write for
	 * @param histogramType overrides the flavor's type for histogram values; {@code null}
	 * for the flavor's own
	 */
	public StatsdLineFormatter(StatsdFlavor flavor, HistogramType histogramType) {
		this.sampleRates = flavor.writesSampleRates();
		this.typeHistogram = ascii(((histogramType != null) ? histogramType : flavor.histogramType()).symbol());
		this.histogramLines = (name, values, count, rate) -> emitAll(name, values, count, this.typeHistogram, rate);
	}

	/**
	 * Formats every entry of {@code batch}, in the order counters, gauges, timers,
	 * histograms, and hands each line (without its {@code \n}) to {@code consumer}.
	 */
	public void format(Batch batch, LineConsumer consumer) {
		this.consumer = consumer;
		try {
			batch.forEachCounter(this.counterLines);
			batch.forEachGauge(this.gaugeLines);
			batch.forEachTimer(this.timerLines);
			batch.forEachHistogram(this.histogramLines);
		}
		finally {
			this.consumer = null;
		}
	}

	/**
	 * The lines of {@code batch} as strings; convenient, but allocates (tests,
	 * diagnostics).
	 */
	public List<String> lines(Batch batch) {
		List<String> lines = new ArrayList<>(batch.size());
		format(batch, (bytes, length, updates) -> lines.add(new String(bytes, 0, length, StandardCharsets.US_ASCII)));
		return lines;
	}

	private void gauge(String name, double value, long updates) {
		if (value < 0) {
			emit(name, 0, this.typeGauge, 1, 0);
		}
		emit(name, value, this.typeGauge, 1, updates);
	}

	// The name and the type are the same on every line of one timer or histogram, so they
	// are written once and only the value changes from line to line.
	private void emitAll(String name, double[] values, int count, byte[] type, double rate) {
		this.length = 0;
		appendName(name);
		append((byte) ':');
		int prefix = this.length;
		appendSuffix(type, rate);
		byte[] suffix = Arrays.copyOfRange(this.line, prefix, this.length);
		for (int i = 0; i < count; i++) {
			this.length = prefix;
			appendNumber(values[i]);
			ensure(suffix.length);
			System.arraycopy(suffix, 0, this.line, this.length, suffix.length);
			this.length += suffix.length;
			this.consumer.accept(this.line, this.length, 1);
		}
	}

	private void emit(String name, double value, byte[] type, double rate, long updates) {
		this.length = 0;
		appendName(name);
		append((byte) ':');
		appendNumber(value);
		appendSuffix(type, rate);
		this.consumer.accept(this.line, this.length, updates);
	}

	private void appendSuffix(byte[] type, double rate) {
		append((byte) '|');
		for (byte b : type) {
			append(b);
		}
		if (this.sampleRates && rate < 1 && rate > 0) {
			append((byte) '|');
			append((byte) '@');
			appendNumber(rate);
		}
	}

	// Batch names are already sanitized to [A-Za-z0-9_.-]; anything else is replaced all
	// the same so that no caller of this public class can break the line format.
	private void appendName(String name) {
		ensure(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean unsafe = c >= 0x7f || c <= ' ' || c == ':' || c == '|' || c == '@';
			this.line[this.length++] = unsafe ? (byte) '_' : (byte) c;
		}
	}

	private void appendNumber(double value) {
		value = Batch.finite(value);
		if (value == Math.rint(value) && Math.abs(value) < LONG_LIMIT) {
			appendLong((long) value);
			return;
		}
		String text = Double.toString(value);
		if (text.indexOf('E') >= 0) {
			text = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
		}
		ensure(text.length());
		for (int i = 0; i < text.length(); i++) {
			this.line[this.length++] = (byte) text.charAt(i);
		}
	}

	private void appendLong(long value) {
		ensure(20);
		if (value == 0) {
			this.line[this.length++] = '0';
			return;
		}
		if (value < 0) {
			this.line[this.length++] = '-';
		}
		int start = this.length;
		// Digits are produced from the negative side so that Long.MIN_VALUE needs no
		// special case.
		long rest = (value < 0) ? value : -value;
		while (rest != 0) {
			this.line[this.length++] = (byte) ('0' - (rest % 10));
			rest /= 10;
		}
		for (int i = start, j = this.length - 1; i < j; i++, j--) {
			byte swap = this.line[i];
			this.line[i] = this.line[j];
			this.line[j] = swap;
		}
	}

	private void append(byte b) {
		ensure(1);
		this.line[this.length++] = b;
	}

	private void ensure(int extra) {
		if (this.length + extra > this.line.length) {
			this.line = Arrays.copyOf(this.line, Math.max(this.length + extra, this.line.length * 2));
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** Receives one line at a time; the array is reused, so copy what must be kept. */
	@FunctionalInterface
	public interface LineConsumer {

		/**
		 * One line, {@code bytes[0..length)}, ASCII, without a line terminator, standing
		 * for {@code updates} recorded updates (0 for the first line of a negative
		 * gauge's pair).
		 */
		void accept(byte[] bytes, int length, long updates);

	}

}
