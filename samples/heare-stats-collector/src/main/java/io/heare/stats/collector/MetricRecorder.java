package io.heare.stats.collector;

/**
 * Receives metric values one at a time. {@link MetricStore} passes everything it records
 * on to one of these, which is how the relay learns what to forward.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public interface MetricRecorder {

	/** A recorder that drops everything, used when forwarding is off. */
	MetricRecorder NONE = new MetricRecorder() {
	};

	/**
	 * Adds to a counter.
	 * @param name the metric name
	 * @param delta the amount, already divided by the sample rate
	 */
	default void counter(String name, double delta) {
	}

	/**
	 * Sets a gauge to an absolute value.
	 * @param name the metric name
	 * @param value the new value
	 */
	default void gauge(String name, double value) {
	}

	/**
	 * Records a timer value.
	 * @param name the metric name
	 * @param millis the duration in milliseconds
	 */
	default void timer(String name, double millis) {
	}

	/**
	 * Records a histogram value.
	 * @param name the metric name
	 * @param value the value
	 */
	default void histogram(String name, double value) {
	}

}
