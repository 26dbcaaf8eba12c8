package io.heare.stats.client;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A StatsD line parser written from the StatsD line format ({@code docs/protocol.md},
 * "StatsD lines"), not from the formatter, so that tests check the formatter against the
 * protocol rather than against itself: {@code <name>:<value>|<type>[|@<sample_rate>]},
 * the name free of {@code :}, {@code |}, {@code @} and line breaks, values and rates in
 * plain decimal.
 */
final class StatsdLines {

	private static final Pattern LINE = Pattern
		.compile("([^:|@\\n]+):([+-]?[0-9]+(?:\\.[0-9]+)?)\\|(c|g|ms|h|d|s)(?:\\|@(0?\\.[0-9]+|0|1))?");

	private StatsdLines() {
	}

	static Line parse(String text) {
		Matcher matcher = LINE.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("not a StatsD line: '" + text + "'");
		}
		String rate = matcher.group(4);
		String value = matcher.group(2);
		return new Line(matcher.group(1), new BigDecimal(value).doubleValue(), matcher.group(3),
				(rate != null) ? new BigDecimal(rate).doubleValue() : 1.0,
				value.startsWith("+") || value.startsWith("-"));
	}

	/**
	 * One parsed line.
	 *
	 * @param signed whether the value had a sign, which makes a gauge line a delta
	 */
	record Line(String name, double value, String type, double sampleRate, boolean signed) {

	}

}
