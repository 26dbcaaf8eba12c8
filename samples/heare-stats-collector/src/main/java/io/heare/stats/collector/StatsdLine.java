package io.heare.stats.collector;

/**
 * One parsed StatsD line, {@code <name>:<value>|<type>[|@<rate>]}.
 *
 * @param name the metric name
 * @param type the metric type
 * @param value the numeric value; {@code NaN} for sets, whose values are not numbers
 * @param delta whether a gauge value carried a leading sign and so is a change
 * @param sampleRate the sample rate, 1 when absent
 * @author heare-stats
 * @since 0.1.0
 */
public record StatsdLine(String name, Type type, double value, boolean delta, double sampleRate) {

	/**
	 * The StatsD types the relay recognises.
	 */
	public enum Type {

		/** {@code c}. */
		COUNTER,

		/** {@code g}. */
		GAUGE,

		/** {@code ms}. */
		TIMER,

		/** {@code h} and {@code d}. */
		HISTOGRAM,

		/** {@code s}, recognised and skipped. */
		SET

	}

}
