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

	/**
	 * The retry settings' defaults: 100 ms, doubling up to 30 s, ±20 %.
	 */
	public static final RetryPolicy DEFAULT = new RetryPolicy(StatsClientConfig.RETRY_INITIAL_BACKOFF.defaultValue(),
			StatsClientConfig.RETRY_MAX_BACKOFF.defaultValue(), StatsClientConfig.RETRY_MULTIPLIER.defaultValue(),
			StatsClientConfig.RETRY_JITTER.defaultValue());

	/**
	 * Checks each value by the rule of its setting in {@link StatsClientConfig}.
	 * @throws InvalidSettingException naming the retry setting a value breaks
	 */
	public RetryPolicy {
		StatsClientConfig.RETRY_INITIAL_BACKOFF.check(initialBackoff);
		StatsClientConfig.RETRY_MAX_BACKOFF.check(maxBackoff);
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new InvalidSettingException(StatsClientConfig.RETRY_MAX_BACKOFF.name(), String.valueOf(maxBackoff),
					StatsClientConfig.RETRY_MAX_BACKOFF.allowed() + " (" + initialBackoff + ")");
		}
		StatsClientConfig.RETRY_MULTIPLIER.check(multiplier);
		StatsClientConfig.RETRY_JITTER.check(jitter);
	}

	/** The delay before retry number {@code attempt} (1 for the first retry). */
	public Duration backoff(int attempt, Random random) {
		double delay = this.initialBackoff.toNanos() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		delay = Math.min(delay, this.maxBackoff.toNanos());
		double spread = 1.0 + this.jitter * (2 * random.nextDouble() - 1);
		return Duration.ofNanos((long) Math.max(1, delay * spread));
	}

}
