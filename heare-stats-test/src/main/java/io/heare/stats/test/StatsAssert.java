package io.heare.stats.test;

import java.time.Duration;
import java.util.function.Predicate;

import org.assertj.core.api.AbstractAssert;

import io.heare.stats.client.StatsClient;

/**
 * Assertions on what an {@link InMemoryStatsClient} recorded, for example
 * <pre class="code">
 * assertThat(stats).counter("orders.created").isEqualTo(1);
 * assertThat(stats).timer("orders.create").hasCount(1);
 * assertThat(stats).hasNoMetricNamed("orders.failed");
 * </pre> Names are final names: with the prefix and after sanitizing, as the wire carries
 * them.
 * <p>
 * An assertion that something was recorded waits for it, up to {@link #DEFAULT_TIMEOUT}
 * (or what {@link #within(Duration)} says), and is checked again after every update: a
 * test that calls a running server and then asserts sees that request's metrics even when
 * the response reached the test before the server recorded them. An assertion that
 * something was <em>not</em> recorded ({@link #hasNoMetricNamed(String)},
 * {@link #hasNothingRecorded()}) checks at once. A failure lists everything that was
 * recorded.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class StatsAssert extends AbstractAssert<StatsAssert, StatsClient> {

	/**
	 * How long assertions wait for what they expect unless {@link #within(Duration)} says
	 * otherwise.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private Duration timeout = DEFAULT_TIMEOUT;

	/**
	 * Creates an assertion on {@code actual}.
	 * @param actual the client, which must be an {@link InMemoryStatsClient}
	 */
	protected StatsAssert(StatsClient actual) {
		super(actual, StatsAssert.class);
	}

	/**
	 * Starts an assertion on what {@code actual} recorded.
	 * @param actual the client, which must be an {@link InMemoryStatsClient} (the one a
	 * Spring test context holds when {@code heare-stats-spring-boot-starter-test} is on
	 * the test classpath)
	 * @return the assertion
	 */
	public static StatsAssert assertThat(StatsClient actual) {
		return new StatsAssert(actual);
	}

	/**
	 * Makes the following assertions wait up to {@code timeout} for what they expect.
	 * @param timeout how long to wait; {@link Duration#ZERO} checks at once
	 * @return this assertion
	 */
	public StatsAssert within(Duration timeout) {
		if (timeout == null || timeout.isNegative()) {
			throw new IllegalArgumentException("timeout must be zero or positive, but was " + timeout);
		}
		this.timeout = timeout;
		return this.myself;
	}

	/**
	 * Makes the following assertions check at once, without waiting.
	 * @return this assertion
	 */
	public StatsAssert immediately() {
		return within(Duration.ZERO);
	}

	/**
	 * Starts an assertion on the counter {@code name}.
	 * @param name the final name
	 * @return the counter's assertion
	 */
	public CounterAssert counter(String name) {
		return describe(new CounterAssert(this, name));
	}

	/**
	 * Starts an assertion on the gauge {@code name}.
	 * @param name the final name
	 * @return the gauge's assertion
	 */
	public GaugeAssert gauge(String name) {
		return describe(new GaugeAssert(this, name));
	}

	/**
	 * Starts an assertion on the values of the timer {@code name}, in milliseconds.
	 * @param name the final name
	 * @return the timer's assertion
	 */
	public ValuesAssert timer(String name) {
		return describe(new ValuesAssert(this, MetricKind.TIMER, name));
	}

	/**
	 * Starts an assertion on the values of the histogram {@code name}.
	 * @param name the final name
	 * @return the histogram's assertion
	 */
	public ValuesAssert histogram(String name) {
		return describe(new ValuesAssert(this, MetricKind.HISTOGRAM, name));
	}

	/**
	 * Verifies that a metric of any kind named {@code name} was recorded, waiting for it.
	 * @param name the final name
	 * @return this assertion
	 */
	public StatsAssert hasMetricNamed(String name) {
		RecordedMetrics metrics = await((recorded) -> recorded.kindOf(name) != null);
		if (metrics.kindOf(name) == null) {
			failWithMessage("%s", failure("Expecting a metric named \"" + name + "\", but none was recorded"
					+ closeNames(metrics, name) + waited(), metrics));
		}
		return this.myself;
	}

	/**
	 * Verifies that no metric named {@code name} has been recorded, without waiting.
	 * @param name the final name
	 * @return this assertion
	 */
	public StatsAssert hasNoMetricNamed(String name) {
		RecordedMetrics metrics = client().metrics();
		MetricKind kind = metrics.kindOf(name);
		if (kind != null) {
			failWithMessage("%s",
					failure("Expecting no metric named \"" + name + "\", but it was recorded as a " + kind, metrics));
		}
		return this.myself;
	}

	/**
	 * Verifies that nothing has been recorded, without waiting.
	 * @return this assertion
	 */
	public StatsAssert hasNothingRecorded() {
		RecordedMetrics metrics = client().metrics();
		if (!metrics.isEmpty()) {
			failWithMessage("%s", failure("Expecting nothing to be recorded", metrics));
		}
		return this.myself;
	}

	/**
	 * Waits until the recorded metrics satisfy {@code condition} or the timeout passes.
	 * @param condition the condition
	 * @return the last snapshot
	 */
	RecordedMetrics await(Predicate<RecordedMetrics> condition) {
		return client().await(condition, this.timeout);
	}

	/**
	 * Fails with {@code message}.
	 * @param message the complete message
	 */
	void fail(String message) {
		failWithMessage("%s", message);
	}

	String waited() {
		if (this.timeout.isZero()) {
			return "";
		}
		long millis = this.timeout.toMillis();
		return " (waited " + ((millis % 1000 == 0) ? (millis / 1000) + " s" : millis + " ms") + ")";
	}

	static String failure(String expectation, RecordedMetrics metrics) {
		return expectation + ".\nRecorded:\n" + metrics.describe();
	}

	// A hint when the name was recorded with a prefix, or without the one the test
	// assumed.
	static String closeNames(RecordedMetrics metrics, String name) {
		for (String recorded : metrics.names()) {
			if (recorded.endsWith("." + name) || name.endsWith("." + recorded)) {
				return " (\"" + recorded + "\" was; names are asserted with their prefix)";
			}
		}
		return "";
	}

	/**
	 * The client under assertion.
	 * @return the client, once it is known to be an {@link InMemoryStatsClient}
	 */
	InMemoryStatsClient client() {
		isNotNull();
		if (!(this.actual instanceof InMemoryStatsClient client)) {
			failWithMessage("%s",
					"Expecting an InMemoryStatsClient, but was <" + this.actual
							+ ">, which keeps nothing a test can read. In a Spring test, put"
							+ " heare-stats-spring-boot-starter-test"
							+ " on the test classpath and leave export off (it is off unless the test opts in).");
			throw new IllegalStateException("unreachable");
		}
		return client;
	}

	private <A extends AbstractAssert<?, ?>> A describe(A child) {
		if (this.info.hasDescription()) {
			child.describedAs(this.info.description());
		}
		return child;
	}

}
