package io.heare.stats.collector;

import java.util.regex.Pattern;

/**
 * Parses StatsD lines, {@code <name>:<value>|<type>[|@<rate>]}, with the relay's rules.
 * Strict on purpose: a line that a standard daemon would read differently is rejected
 * rather than guessed at, so that the client bug shows up in the bad-line total.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class StatsdLineParser {

	/**
	 * Plain decimal numbers only: {@link Double#parseDouble} alone would also accept
	 * {@code NaN}, {@code Infinity}, hex floats and a trailing {@code d} or {@code f}.
	 */
	private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

	private StatsdLineParser() {
	}

	/**
	 * Parses one line (without its line terminator; a trailing {@code \r} is tolerated).
	 * @param line the line
	 * @return the parsed line
	 * @throws IllegalArgumentException if the line is malformed, with the reason
	 */
	public static StatsdLine parse(String line) {
		String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
		int colon = text.indexOf(':');
		if (colon <= 0) {
			throw new IllegalArgumentException("missing name or ':'");
		}
		String name = text.substring(0, colon);
		if (name.indexOf('|') >= 0 || name.indexOf('@') >= 0) {
			throw new IllegalArgumentException("name contains '|' or '@'");
		}
		String[] fields = text.substring(colon + 1).split("\\|", -1);
		if (fields.length < 2 || fields.length > 3) {
			throw new IllegalArgumentException("expected <value>|<type>[|@<rate>]");
		}
		StatsdLine.Type type = type(fields[1]);
		double rate = (fields.length == 3) ? sampleRate(fields[2]) : 1.0;
		String value = fields[0];
		if (type == StatsdLine.Type.SET) {
			// Set members are arbitrary strings; only their presence is checked.
			if (value.isEmpty() || value.indexOf(':') >= 0) {
				throw new IllegalArgumentException("bad set value");
			}
			return new StatsdLine(name, type, Double.NaN, false, rate);
		}
		double number = number(value);
		boolean delta = type == StatsdLine.Type.GAUGE && (value.charAt(0) == '+' || value.charAt(0) == '-');
		return new StatsdLine(name, type, number, delta, rate);
	}

	private static StatsdLine.Type type(String type) {
		return switch (type) {
			case "c" -> StatsdLine.Type.COUNTER;
			case "g" -> StatsdLine.Type.GAUGE;
			case "ms" -> StatsdLine.Type.TIMER;
			case "h", "d" -> StatsdLine.Type.HISTOGRAM;
			case "s" -> StatsdLine.Type.SET;
			default -> throw new IllegalArgumentException("unknown type '" + type + "'");
		};
	}

	private static double sampleRate(String field) {
		if (!field.startsWith("@")) {
			throw new IllegalArgumentException("third field must be @<sample rate>");
		}
		String rate = field.substring(1);
		if (!NUMBER.matcher(rate).matches()) {
			throw new IllegalArgumentException("bad sample rate '" + rate + "'");
		}
		double value = Double.parseDouble(rate);
		if (!(value > 0.0 && value <= 1.0)) {
			throw new IllegalArgumentException("sample rate must be in (0, 1]");
		}
		return value;
	}

	private static double number(String value) {
		if (!NUMBER.matcher(value).matches()) {
			throw new IllegalArgumentException("bad value '" + value + "'");
		}
		double number = Double.parseDouble(value);
		if (!Double.isFinite(number)) {
			throw new IllegalArgumentException("value out of range");
		}
		return number;
	}

}
