package io.heare.stats.client;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link RetryPolicy}: how long the sender waits before each retry, and which
 * policies are refused when a client is built.
 */
class RetryPolicyTests {

	private static final Duration MS_100 = Duration.ofMillis(100);

	@Test
	void withoutJitterTheDelayStartsAtTheInitialBackoffAndGrowsByTheMultiplier() {
		RetryPolicy policy = new RetryPolicy(MS_100, Duration.ofSeconds(30), 3.0, 0.0);
		Random random = new Random(1);
		assertThat(policy.backoff(1, random)).isEqualTo(Duration.ofMillis(100));
		assertThat(policy.backoff(2, random)).isEqualTo(Duration.ofMillis(300));
		assertThat(policy.backoff(3, random)).isEqualTo(Duration.ofMillis(900));
		assertThat(policy.backoff(4, random)).isEqualTo(Duration.ofMillis(2700));
	}

	@Test
	void theDelayStopsGrowingAtTheMaximumBackoff() {
		RetryPolicy policy = new RetryPolicy(MS_100, Duration.ofMillis(1000), 2.0, 0.0);
		Random random = new Random(1);
		assertThat(policy.backoff(4, random)).isEqualTo(Duration.ofMillis(800));
		assertThat(policy.backoff(5, random)).isEqualTo(Duration.ofMillis(1000));
		assertThat(policy.backoff(1_000, random)).isEqualTo(Duration.ofMillis(1000));
		assertThat(policy.backoff(Integer.MAX_VALUE, random)).isEqualTo(Duration.ofMillis(1000));
	}

	@Test
	void aMultiplierOfOneRetriesAtAConstantPace() {
		RetryPolicy policy = new RetryPolicy(MS_100, Duration.ofSeconds(30), 1.0, 0.0);
		assertThat(policy.backoff(50, new Random(1))).isEqualTo(MS_100);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -1 })
	void anAttemptBelowOneWaitsTheInitialBackoff(int attempt) {
		RetryPolicy policy = new RetryPolicy(MS_100, Duration.ofSeconds(30), 2.0, 0.0);
		assertThat(policy.backoff(attempt, new Random(1))).isEqualTo(MS_100);
	}

	@Test
	void jitterSpreadsTheDelayEvenlyOverPlusOrMinusItsFraction() {
		RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.25);
		// The extremes of the random draw give the extremes of the spread, its middle no
		// change.
		assertThat(policy.backoff(1, fixed(0.0))).isEqualTo(Duration.ofMillis(750));
		assertThat(policy.backoff(1, fixed(0.5))).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.backoff(2, fixed(0.75))).isEqualTo(Duration.ofMillis(2250));
		assertThat(policy.backoff(1, fixed(Math.nextDown(1.0))).toNanos()).isBetween(1_249_999_000L, 1_250_000_000L);
	}

	@Test
	void jitteredDelaysStayWithinTheirBoundsAndDoNotAllCoincide() {
		RetryPolicy policy = RetryPolicy.DEFAULT;
		Random random = new Random(42);
		long lowest = Long.MAX_VALUE;
		long highest = Long.MIN_VALUE;
		for (int i = 0; i < 1_000; i++) {
			long nanos = policy.backoff(3, random).toNanos();
			assertThat(nanos).isBetween(320_000_000L, 480_000_000L);
			lowest = Math.min(lowest, nanos);
			highest = Math.max(highest, nanos);
		}
		// Clients that failed together spread out over most of the window.
		assertThat(highest - lowest).isGreaterThan(120_000_000L);
	}

	@Test
	void jitterIsAppliedToTheCappedDelaySoTheMaximumIsExceededByAtMostTheJitter() {
		RetryPolicy policy = new RetryPolicy(MS_100, Duration.ofSeconds(1), 2.0, 0.2);
		assertThat(policy.backoff(20, fixed(Math.nextDown(1.0))).toNanos()).isBetween(1_199_999_000L, 1_200_000_000L);
		assertThat(policy.backoff(20, fixed(0.0))).isEqualTo(Duration.ofMillis(800));
	}

	@Test
	void theDelayIsNeverZeroEvenWithFullJitter() {
		RetryPolicy policy = new RetryPolicy(Duration.ofNanos(1), Duration.ofNanos(1), 1.0, 1.0);
		assertThat(policy.backoff(1, fixed(0.0))).isEqualTo(Duration.ofNanos(1));
		RetryPolicy longer = new RetryPolicy(MS_100, MS_100, 1.0, 1.0);
		assertThat(longer.backoff(1, fixed(0.0))).isEqualTo(Duration.ofNanos(1));
		assertThat(longer.backoff(1, fixed(0.5))).isEqualTo(MS_100);
	}

	@Test
	void theDefaultStartsAtOneHundredMillisecondsAndDoublesUpToThirtySeconds() {
		assertThat(RetryPolicy.DEFAULT.initialBackoff()).isEqualTo(MS_100);
		assertThat(RetryPolicy.DEFAULT.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
		assertThat(RetryPolicy.DEFAULT.multiplier()).isEqualTo(2.0);
		assertThat(RetryPolicy.DEFAULT.jitter()).isEqualTo(0.2);
	}

	@Test
	void theLimitsOfEachArgumentAreAccepted() {
		RetryPolicy policy = new RetryPolicy(Duration.ofNanos(1), Duration.ofNanos(1), 1.0, 0.0);
		assertThat(policy.backoff(3, new Random(1))).isEqualTo(Duration.ofNanos(1));
		assertThat(new RetryPolicy(MS_100, MS_100, 1.0, 1.0).jitter()).isEqualTo(1.0);
	}

	@Test
	void initialBackoffMustBePositive() {
		assertRefused(() -> new RetryPolicy(null, MS_100, 2, 0.2), "retry.initial_backoff");
		assertRefused(() -> new RetryPolicy(Duration.ZERO, MS_100, 2, 0.2), "retry.initial_backoff", "PT0S");
		assertRefused(() -> new RetryPolicy(Duration.ofMillis(-1), MS_100, 2, 0.2), "retry.initial_backoff",
				"PT-0.001S");
	}

	@Test
	void maxBackoffMustBeNoShorterThanTheInitialBackoff() {
		assertRefused(() -> new RetryPolicy(MS_100, null, 2, 0.2), "retry.max_backoff");
		InvalidSettingException failure = assertRefused(() -> new RetryPolicy(MS_100, Duration.ofMillis(99), 2, 0.2),
				"retry.max_backoff", "PT0.099S");
		assertThat(failure.getAllowed()).contains("PT0.1S");
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.999, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY })
	void multiplierMustBeAFiniteNumberOfAtLeastOne(double multiplier) {
		assertRefused(() -> new RetryPolicy(MS_100, MS_100, multiplier, 0.2), "retry.multiplier",
				String.valueOf(multiplier));
	}

	@ParameterizedTest
	@ValueSource(doubles = { -0.001, 1.001, Double.NaN, Double.POSITIVE_INFINITY })
	void jitterMustBeAFractionBetweenZeroAndOne(double jitter) {
		assertRefused(() -> new RetryPolicy(MS_100, MS_100, 2, jitter), "retry.jitter", String.valueOf(jitter));
	}

	@Test
	void aConfigRefusesRetrySettingsThatMakeNoPolicy() {
		StatsClientConfig.Builder builder = StatsClientConfig.builder()
			.protocol(Protocol.UDP)
			.destHost("127.0.0.1")
			.destPort(1)
			.set(StatsClientConfig.RETRY_INITIAL_BACKOFF, Duration.ofSeconds(2))
			.set(StatsClientConfig.RETRY_MAX_BACKOFF, Duration.ofSeconds(1));
		assertRefused(builder::build, "retry.max_backoff", "PT1S");
	}

	private static InvalidSettingException assertRefused(Runnable construction, String setting, String value) {
		InvalidSettingException failure = assertRefused(construction, setting);
		assertThat(failure.getValue()).isEqualTo(value);
		return failure;
	}

	private static InvalidSettingException assertRefused(Runnable construction, String setting) {
		InvalidSettingException failure = catchThrowableOfType(InvalidSettingException.class, construction::run);
		assertThat(failure).as("refused %s", setting).isNotNull();
		assertThat(failure.getSetting()).isEqualTo(setting);
		assertThat(failure.getMessage()).contains(setting);
		return failure;
	}

	/** A random source whose every draw is {@code value}. */
	private static Random fixed(double value) {
		return new Random() {

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

}
