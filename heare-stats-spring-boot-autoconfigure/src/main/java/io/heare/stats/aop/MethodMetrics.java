package io.heare.stats.aop;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.function.SingletonSupplier;

import io.heare.stats.client.Counter;
import io.heare.stats.client.MetricNames;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Timer;

/**
 * The metric names of one annotated method, worked out once, and the code that records
 * one invocation of it.
 */
final class MethodMetrics {

	private static final Log logger = LogFactory.getLog(MethodMetrics.class);

	private final String timer;

	private final String timerSuccess;

	private final String timerError;

	private final String timerCancelled;

	private final String counter;

	private final String counterError;

	private final String counterCancelled;

	// The metrics recorded on every invocation, bound to their names on the first.
	private final SingletonSupplier<Bound> bound;

	/**
	 * @param timerName the {@code @Timed} name, or {@code null}
	 * @param counterName the {@code @Counted} name, or {@code null}
	 */
	MethodMetrics(Supplier<StatsClient> client, String timerName, String counterName, boolean failuresOnly) {
		this.bound = SingletonSupplier.of(() -> new Bound(client.get()));
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
		record(System.nanoTime() - startNanos, null, false);
	}

	void failure(long startNanos, Throwable error) {
		tookAndFailed(System.nanoTime() - startNanos, error);
	}

	void cancelled(long startNanos) {
		record(System.nanoTime() - startNanos, null, true);
	}

	/** Records a successful invocation that took {@code durationNanos}. */
	void took(long durationNanos) {
		record(durationNanos, null, false);
	}

	/** Records an invocation that took {@code durationNanos} and failed. */
	void tookAndFailed(long durationNanos, Throwable error) {
		Throwable cause = unwrap(error);
		record(durationNanos, cause, cause instanceof CancellationException);
	}

	// Straight into the client, through metrics bound to their names: an invocation
	// allocates nothing unless it failed.
	private void record(long durationNanos, Throwable error, boolean cancelled) {
		try {
			Bound bound = this.bound.obtain();
			double millis = durationNanos / 1_000_000d;
			if (error == null && !cancelled) {
				if (bound.succeeded != null) {
					bound.succeeded.time(millis);
				}
				else if (bound.counter != null) {
					bound.counter.incr();
				}
				return;
			}
			if (this.timer != null) {
				bound.timer.time(millis);
				if (cancelled) {
					bound.client.incr(this.timerCancelled);
				}
				else {
					bound.client.incr(this.timerError);
					bound.client.incr(this.timerError + "." + simpleName(error));
				}
			}
			if (bound.counter != null) {
				bound.counter.incr();
			}
			if (cancelled) {
				if (this.counterCancelled != null) {
					bound.client.incr(this.counterCancelled);
				}
			}
			else if (this.counterError != null) {
				bound.client.incr(this.counterError);
				bound.client.incr(this.counterError + "." + simpleName(error));
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

	/**
	 * The client, and the metrics invocations record, bound to their names: a successful
	 * invocation of a timed method is one group (its timer, its success counter and the
	 * {@code @Counted} counter).
	 */
	private final class Bound {

		final StatsClient client;

		final Timer timer;

		final Counter counter;

		final Timer succeeded;

		Bound(StatsClient client) {
			this.client = client;
			String timer = MethodMetrics.this.timer;
			String counter = MethodMetrics.this.counter;
			this.timer = (timer != null) ? client.timer(timer) : null;
			this.counter = (counter != null) ? client.counter(counter) : null;
			if (timer != null) {
				List<String> counters = (counter != null) ? List.of(MethodMetrics.this.timerSuccess, counter)
						: List.of(MethodMetrics.this.timerSuccess);
				this.succeeded = client.timer(List.of(timer), counters);
			}
			else {
				this.succeeded = null;
			}
		}

	}

}
