package io.heare.stats.client;

import java.time.Duration;
import java.util.Random;

/**
 * How failed sends are retried: exponential backoff from {@code initialBackoff},
 * multiplied by {@code multiplier} per failed attempt up to {@code maxBackoff}, each
 * delay spread by {@code ±jitter} (a fraction) so that many clients do not retry in step.
 * Retries go on as long as the client is open; newer metrics merge into the waiting batch
 * meanwhile, so memory stays bounded.
 *
 * @param initialBackoff delay after the first failure
 * @param maxBackoff the longest delay
 * @param multiplier growth per failed attempt, at least 1
 * @param jitter fraction of the delay to randomize, in [0, 1]
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {

	/** 100 ms, doubling up to 30 s, ±20 %. */
	public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), 2.0, 0.2);

	public RetryPolicy {
		if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
			throw new InvalidSettingException("retry.initial_backoff", String.valueOf(initialBackoff),
					"a positive duration");
		}
		if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new InvalidSettingException("retry.max_backoff", String.valueOf(maxBackoff),
					"a duration no shorter than the initial backoff (" + initialBackoff + ")");
		}
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new InvalidSettingException("retry.multiplier", String.valueOf(multiplier), "a number >= 1");
		}
		if (!(jitter >= 0.0 && jitter <= 1.0)) {
			throw new InvalidSettingException("retry.jitter", String.valueOf(jitter), "a fraction between 0 and 1");
		}
	}

	/** The delay before retry number {@code attempt} (1 for the first retry). */
	public Duration backoff(int attempt, Random random) {
		double delay = this.initialBackoff.toNanos() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		delay = Math.min(delay, this.maxBackoff.toNanos());
		double spread = 1.0 + this.jitter * (2 * random.nextDouble() - 1);
		return Duration.ofNanos((long) Math.max(1, delay * spread));
	}

}
