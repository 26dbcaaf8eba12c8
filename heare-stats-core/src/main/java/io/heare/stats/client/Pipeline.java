package io.heare.stats.client;

import java.time.Duration;

/**
 * A batch of metrics that is handed to its {@link StatsClient} in one piece when the
 * pipeline is closed. Not thread-safe: use one pipeline per thread, in
 * try-with-resources. Recording methods and {@link #close()} never throw.
 */
public interface Pipeline extends AutoCloseable {

	/** Adds one to the counter {@code name}. */
	default Pipeline incr(String name) {
		return incr(name, 1d);
	}

	/** Adds {@code value} to the counter {@code name}. */
	Pipeline incr(String name, double value);

	/** Adds {@code value} to the counter {@code name}, sampled at {@code sampleRate}. */
	Pipeline incr(String name, double value, double sampleRate);

	/** Subtracts one from the counter {@code name}. */
	default Pipeline decr(String name) {
		return incr(name, -1d);
	}

	/** Subtracts {@code value} from the counter {@code name}. */
	default Pipeline decr(String name, double value) {
		return incr(name, -value);
	}

	/** Records a duration in milliseconds for the timer {@code name}. */
	Pipeline time(String name, double millis);

	/** Records a duration in milliseconds, sampled at {@code sampleRate}. */
	Pipeline time(String name, double millis, double sampleRate);

	/** Records {@code duration} for the timer {@code name}, in milliseconds. */
	default Pipeline time(String name, Duration duration) {
		return time(name, (duration != null) ? duration.toNanos() / 1_000_000d : Double.NaN);
	}

	/** Sets the gauge {@code name}; the last value recorded wins. */
	Pipeline gauge(String name, double value);

	/** Records {@code value} in the histogram {@code name}. */
	Pipeline hist(String name, double value);

	/** Hands the recorded metrics to the client. Later calls are ignored. */
	@Override
	void close();

}
