package io.heare.stats.aop;

import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Measures a {@link Mono} or {@link Flux} from subscription to completion, error or
 * cancellation. Kept apart so that Reactor stays optional.
 */
final class ReactorSupport {

	private ReactorSupport() {
	}

	static boolean isReactive(Object result) {
		return result instanceof Mono || result instanceof Flux;
	}

	static Object measure(Object result, MethodMetrics metrics) {
		if (result instanceof Mono<?> mono) {
			return Mono.defer(() -> {
				Outcome outcome = new Outcome(metrics);
				return mono.doOnSuccess((value) -> outcome.success())
					.doOnError(outcome::failure)
					.doOnCancel(outcome::cancelled);
			});
		}
		Flux<?> flux = (Flux<?>) result;
		return Flux.defer(() -> {
			Outcome outcome = new Outcome(metrics);
			return flux.doOnComplete(outcome::success).doOnError(outcome::failure).doOnCancel(outcome::cancelled);
		});
	}

	/**
	 * One subscription: records once, whichever signal comes first.
	 */
	private static final class Outcome {

		private final MethodMetrics metrics;

		private final long start = System.nanoTime();

		private final AtomicBoolean done = new AtomicBoolean();

		Outcome(MethodMetrics metrics) {
			this.metrics = metrics;
		}

		void success() {
			if (this.done.compareAndSet(false, true)) {
				this.metrics.success(this.start);
			}
		}

		void failure(Throwable error) {
			if (this.done.compareAndSet(false, true)) {
				this.metrics.failure(this.start, error);
			}
		}

		void cancelled() {
			if (this.done.compareAndSet(false, true)) {
				this.metrics.cancelled(this.start);
			}
		}

	}

}
