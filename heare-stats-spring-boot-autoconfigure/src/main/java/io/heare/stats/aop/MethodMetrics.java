package io.heare.stats.aop;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.heare.stats.client.MetricNames;
import io.heare.stats.client.StatsClient;

/**
 * The metric names of one annotated method, worked out once, and the code that records
 * one invocation of it.
 */
final class MethodMetrics {

	private static final Log logger = LogFactory.getLog(MethodMetrics.class);

	private final Supplier<StatsClient> client;

	private final String timer;

	private final String timerSuccess;

	private final String timerError;

	private final String timerCancelled;

	private final String counter;

	private final String counterError;

	private final String counterCancelled;

	/**
	 * @param timerName the {@code @Timed} name, or {@code null}
	 * @param counterName the {@code @Counted} name, or {@code null}
	 */
	MethodMetrics(Supplier<StatsClient> client, String timerName, String counterName, boolean failuresOnly) {
		this.client = client;
		this.timer = MetricNames.sanitize(timerName);
		this.timerSuccess = (this.timer != null) ? this.timer + ".success" : null;
		this.timerError = (this.timer != null) ? this.timer + ".error" : null;
		this.timerCancelled = (this.timer != null) ? this.timer + ".cancelled" : null;
		String counter = MetricNames.sanitize(counterName);
		// @Timed and @Counted with the same name share the outcome counters: count them
		// once.
		boolean sharesOutcomes = counter != null && counter.equals(this.timer);
		this.counter = (counter != null && !failuresOnly) ? counter : null;
		this.counterError = (counter != null && !sharesOutcomes) ? counter + ".error" : null;
		this.counterCancelled = (counter != null && !sharesOutcomes && !failuresOnly) ? counter + ".cancelled" : null;
	}

	void success(long startNanos) {
		record(startNanos, null, false);
	}

	void failure(long startNanos, Throwable error) {
		Throwable cause = unwrap(error);
		record(startNanos, cause, cause instanceof CancellationException);
	}

	void cancelled(long startNanos) {
		record(startNanos, null, true);
	}

	// Straight into the client: an invocation allocates nothing unless it failed.
	private void record(long startNanos, Throwable error, boolean cancelled) {
		double millis = (System.nanoTime() - startNanos) / 1_000_000d;
		try {
			StatsClient client = this.client.get();
			if (this.timer != null) {
				client.time(this.timer, millis);
				if (cancelled) {
					client.incr(this.timerCancelled);
				}
				else if (error != null) {
					client.incr(this.timerError);
					client.incr(this.timerError + "." + simpleName(error));
				}
				else {
					client.incr(this.timerSuccess);
				}
			}
			if (this.counter != null) {
				client.incr(this.counter);
			}
			if (cancelled) {
				if (this.counterCancelled != null) {
					client.incr(this.counterCancelled);
				}
			}
			else if (error != null && this.counterError != null) {
				client.incr(this.counterError);
				client.incr(this.counterError + "." + simpleName(error));
			}
		}
		catch (RuntimeException ex) {
			// Metrics never fail the call they measure.
			logger.debug("Could not record method metrics", ex);
		}
	}

	static Throwable unwrap(Throwable error) {
		Throwable current = error;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	static String simpleName(Throwable error) {
		String name = error.getClass().getSimpleName();
		return name.isEmpty() ? error.getClass().getName() : name;
	}

}
