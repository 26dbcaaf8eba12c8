package io.heare.stats.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;

import static io.heare.stats.test.StatsAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StatsAssert} and the assertions it leads to.
 */
class StatsAssertTests {

	private final InMemoryStatsClient stats = new InMemoryStatsClient();

	@Test
	void passesOnWhatWasRecorded() {
		try (Pipeline pipe = this.stats.pipeline()) {
			pipe.incr("orders.created").time("orders.create", 12).hist("orders.items", 3).gauge("queue.size", 2);
		}
		assertThat(this.stats).counter("orders.created").isEqualTo(1);
		assertThat(this.stats).counter("orders.created").isGreaterThanOrEqualTo(1).value().isOne();
		assertThat(this.stats).timer("orders.create").hasCount(1).hasValues(12);
		assertThat(this.stats).timer("orders.create").values().allSatisfy((value) -> assertThat(value).isPositive());
		assertThat(this.stats).histogram("orders.items").hasValues(3);
		assertThat(this.stats).gauge("queue.size").isEqualTo(2);
		assertThat(this.stats).hasMetricNamed("orders.create").hasNoMetricNamed("orders.failed");
	}

	@Test
	void counterFailureSaysWhatItWasAndListsEverythingRecorded() {
		this.stats.incr("orders.created", 2);
		this.stats.time("orders.create", 12.5);
		this.stats.hist("orders.items", 3);
		this.stats.gauge("queue.size", 1);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(
					() -> assertThat(this.stats).within(Duration.ofMillis(50)).counter("orders.created").isEqualTo(1))
			.withMessage("""
					Expecting counter "orders.created" to be 1, but it was 2 (waited 50 ms).
					Recorded:
					  counter orders.created = 2
					  gauge queue.size = 1
					  timer orders.create = 1 value [12.5]
					  histogram orders.items = 1 value [3]""");
	}

	@Test
	void missingMetricFailureListsTheRecordedNames() {
		this.stats.incr("orders.created");
		this.stats.incr("orders.cancelled");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.stats).immediately().timer("orders.create").hasCount(1))
			.withMessage("""
					Expecting a timer named "orders.create", but none was recorded.
					Recorded:
					  counter orders.cancelled = 1
					  counter orders.created = 1""");
	}

	@Test
	void missingMetricFailureSaysWhenTheNameWasRecordedAsAnotherKind() {
		this.stats.time("orders.create", 1);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.stats).immediately().counter("orders.create").isEqualTo(1))
			.withMessageStartingWith("Expecting a counter named \"orders.create\", but it was recorded as a timer.");
	}

	@Test
	void missingMetricFailurePointsAtTheNameWithItsPrefix() {
		InMemoryStatsClient prefixed = new InMemoryStatsClient("sample");
		prefixed.incr("orders.created");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(prefixed).immediately().counter("orders.created").isEqualTo(1))
			.withMessageStartingWith("Expecting a counter named \"orders.created\", but none was recorded "
					+ "(\"sample.orders.created\" was; names are asserted with their prefix).");
	}

	@Test
	void valuesFailureShowsTheValuesRecorded() {
		this.stats.hist("orders.items", 3);
		this.stats.hist("orders.items", 4);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.stats).immediately().histogram("orders.items").hasValues(4, 3))
			.withMessageStartingWith(
					"Expecting histogram \"orders.items\" to have the values [4, 3], but it was [3, 4].");
	}

	@Test
	void gaugeFailureShowsTheLastValue() {
		this.stats.gauge("queue.size", 3);
		this.stats.gauge("queue.size", 0.5);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.stats).immediately().gauge("queue.size").isEqualTo(3))
			.withMessageStartingWith("Expecting gauge \"queue.size\" to be 3, but it was 0.5.");
	}

	@Test
	void hasNoMetricNamedFailsAtOnceWithTheKindRecorded() {
		this.stats.hist("orders.failed", 1);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.stats).hasNoMetricNamed("orders.failed"))
			.withMessage("""
					Expecting no metric named "orders.failed", but it was recorded as a histogram.
					Recorded:
					  histogram orders.failed = 1 value [1]""");
	}

	@Test
	void hasNothingRecordedFailsWithWhatWasRecorded() {
		assertThat(this.stats).hasNothingRecorded();
		this.stats.incr("orders.created");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.stats).hasNothingRecorded())
			.withMessage("""
					Expecting nothing to be recorded.
					Recorded:
					  counter orders.created = 1""");
	}

	@Test
	void emptyClientFailureSaysNothingWasRecorded() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.stats).immediately().hasMetricNamed("orders.created"))
			.withMessage("""
					Expecting a metric named "orders.created", but none was recorded.
					Recorded:
					  (nothing was recorded)""");
	}

	@Test
	void waitsForAnUpdateRecordedAfterTheAssertionStarted() {
		CompletableFuture.runAsync(() -> {
			try (Pipeline pipe = this.stats.pipeline()) {
				pipe.incr("late.requests").time("late.time", 5);
			}
		}, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
		assertThat(this.stats).within(Duration.ofSeconds(30)).counter("late.requests").isEqualTo(1);
		assertThat(this.stats).immediately().timer("late.time").hasCount(1);
	}

	@Test
	void waitsForACounterToReachTheExpectedSum() {
		this.stats.incr("requests");
		CompletableFuture.runAsync(() -> this.stats.incr("requests"),
				CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
		assertThat(this.stats).within(Duration.ofSeconds(30)).counter("requests").isEqualTo(2);
	}

	@Test
	void descriptionIsCarriedToTheMetricAssertions() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(
				() -> assertThat(this.stats).as("after checkout").immediately().counter("orders.created").isEqualTo(1))
			.withMessageStartingWith("[after checkout] Expecting a counter named \"orders.created\"");
	}

	@Test
	void failsClearlyOnAClientThatKeepsNothing() {
		StatsClient noop = StatsClient.noop();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(noop).counter("orders.created").isEqualTo(1))
			.withMessageStartingWith("Expecting an InMemoryStatsClient, but was <StatsClient.noop()>");
	}

	@Test
	void counterAcceptsABoxedNumber() {
		this.stats.incr("orders.created");
		Integer one = 1;
		assertThat(this.stats).counter("orders.created").isEqualTo(one);
	}

}
