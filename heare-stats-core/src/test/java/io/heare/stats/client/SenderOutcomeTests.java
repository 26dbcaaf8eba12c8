package io.heare.stats.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.IdentityHashMap;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of how a {@link Sender} accounts for each outcome of a send, and what it does
 * with a transport at close: every recorded update ends up delivered, dropped for a
 * reason, or pending, and the transport is closed once.
 */
@Timeout(30)
class SenderOutcomeTests {

	private static final RetryPolicy SLOW_RETRIES = new RetryPolicy(Duration.ofSeconds(20), Duration.ofSeconds(20), 1.0,
			0.0);

	private final ClientStats stats = new ClientStats();

	private final Aggregator aggregator = new Aggregator(null, 100, 1000, this.stats);

	private Sender sender;

	@AfterEach
	void stopSender() {
		if (this.sender != null) {
			this.sender.stop(Duration.ofSeconds(1));
		}
	}

	private ScriptedTransport start(ScriptedTransport transport, RetryPolicy retryPolicy) {
		this.sender = new Sender(this.aggregator, transport, this.stats, retryPolicy, Duration.ZERO, 1000, Thread::new);
		this.sender.start();
		return transport;
	}

	@Test
	void stopSendsWhatIsLeftAndThenClosesTheTransport() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> SendResult.success(1, 10)), SLOW_RETRIES);
		this.aggregator.incr("at.close", 2);
		this.aggregator.time("at.close.timer", 5);
		assertThat(this.sender.stop(Duration.ofSeconds(5))).isZero();
		assertThat(transport.closed.get()).isEqualTo(1);
		assertThat(transport.sentUpdates()).isEqualTo(2);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.delivered()).isEqualTo(2);
		assertThat(telemetry.droppedTotal()).isZero();
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(this.sender.lastOutcome()).isEqualTo("delivered");
	}

	@Test
	void theValueArraysOfABatchSplitForTheRequestLimitServeTheBatchesAfterIt() {
		// The arrays each send carried, by identity, per round of recording.
		List<Set<double[]>> rounds = new CopyOnWriteArrayList<>();
		ScriptedTransport transport = start(new ScriptedTransport((index) -> SendResult.success(1, 10), 100) {
			@Override
			public SendResult send(Batch batch) throws Exception {
				Set<double[]> arrays = rounds.get(rounds.size() - 1);
				batch.forEachTimer((name, values, count, rate) -> arrays.add(values));
				return super.send(batch);
			}
		}, SLOW_RETRIES);
		for (int round = 0; round < 4; round++) {
			rounds.add(Collections.newSetFromMap(new IdentityHashMap<>()));
			for (int i = 0; i < 250; i++) {
				this.aggregator.time("split", i);
			}
			assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		}
		assertThat(transport.sends.get()).isEqualTo(12);
		assertThat(transport.sentUpdates()).isEqualTo(1000);
		// The sender fills two batches in turn: the first two rounds make the arrays, and
		// every later one sends in the same ones.
		Set<double[]> made = Collections.newSetFromMap(new IdentityHashMap<>());
		made.addAll(rounds.get(0));
		made.addAll(rounds.get(1));
		assertThat(made).hasSize(6);
		for (int round = 2; round < rounds.size(); round++) {
			assertThat(rounds.get(round)).as("round %d", round).hasSize(3).allMatch(made::contains);
		}
	}

	@Test
	void whatCannotBeDeliveredAtCloseIsCountedAndTheTransportStillClosed() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> SendResult.retry("HTTP 503")),
				SLOW_RETRIES);
		this.aggregator.incr("lost", 1);
		this.aggregator.incr("lost", 1);
		this.aggregator.gauge("lost.gauge", 4);
		this.aggregator.time("lost.timer", 5);
		this.sender.wake();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.stats.snapshot().retries() == 1);
		assertThat(this.stats.snapshot().pending()).isEqualTo(4);
		assertThat(this.sender.stop(Duration.ofSeconds(5))).isEqualTo(4);
		assertThat(transport.closed.get()).isEqualTo(1);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.dropped(DropReason.UNDELIVERED_AT_CLOSE)).isEqualTo(4);
		assertThat(telemetry.pending()).isZero();
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(telemetry.delivered()).isZero();
		// The first attempt is retried; the last one at close only fails.
		assertThat(telemetry.retries()).isEqualTo(1);
		assertThat(telemetry.failures()).isEqualTo(2);
		assertThat(this.sender.lastOutcome()).isEqualTo("HTTP 503");
		assertThat(this.sender.flush(Duration.ofSeconds(5))).as("a stopped sender sends nothing").isFalse();
	}

	@Test
	void aSendThatOutlastsTheGraceIsInterruptedAndWhatItHeldIsCounted() throws Exception {
		CountDownLatch never = new CountDownLatch(1);
		CountDownLatch sending = new CountDownLatch(1);
		ScriptedTransport transport = start(new ScriptedTransport((index) -> {
			sending.countDown();
			// Returns only when interrupted.
			never.await(20, TimeUnit.SECONDS);
			return SendResult.success(1, 10);
		}), SLOW_RETRIES);
		this.aggregator.incr("stuck", 3);
		this.sender.wake();
		assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
		long start = System.nanoTime();
		assertThat(this.sender.stop(Duration.ofMillis(100))).isEqualTo(1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(transport.closed.get()).isEqualTo(1);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.dropped(DropReason.UNDELIVERED_AT_CLOSE)).isEqualTo(1);
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(this.sender.lastOutcome()).isEqualTo("interrupted while sending");
	}

	@Test
	void updatesLostInAPartlyFailedSendAreCountedAndTheNextFlushRecovers() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> (index == 0)
				? SendResult.failed(2, 100, "1 of 2 datagrams failed", 3) : SendResult.success(1, 10)), SLOW_RETRIES);
		for (int i = 0; i < 5; i++) {
			this.aggregator.time("partly", i);
		}
		assertThat(this.sender.flush(Duration.ofSeconds(5))).as("updates were lost").isFalse();
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.dropped(DropReason.SEND_FAILED)).isEqualTo(3);
		assertThat(telemetry.delivered()).isEqualTo(2);
		assertThat(telemetry.requests()).isEqualTo(2);
		assertThat(telemetry.bytes()).isEqualTo(100);
		// Not every metric arrived.
		assertThat(telemetry.sentMetrics()).isZero();
		assertThat(telemetry.failures()).isEqualTo(1);
		assertThat(telemetry.retries()).isZero();
		assertThat(this.sender.lastOutcome()).isEqualTo("1 of 2 datagrams failed");
		this.aggregator.incr("later", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).as("nothing lost since").isTrue();
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		telemetry = this.stats.snapshot();
		assertThat(telemetry.sentMetrics()).isEqualTo(1);
		assertThat(telemetry.delivered()).isEqualTo(3);
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(transport.sends.get()).isEqualTo(2);
	}

	@Test
	void aSendFailingWithAnExceptionIsRetried() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> {
			if (index == 0) {
				throw new IOException("connection reset");
			}
			return SendResult.success(1, 10);
		}), TestClients.FAST_RETRIES);
		this.aggregator.incr("retried", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(transport.sends.get()).isEqualTo(2);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.delivered()).isEqualTo(1);
		assertThat(telemetry.retries()).isEqualTo(1);
		assertThat(telemetry.lastErrorMessage()).isEqualTo("IOException: connection reset");
	}

	@Test
	void aSendFailingWithAnErrorIsRetriedAndTheSenderKeepsRunning() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> {
			if (index == 0) {
				throw new StackOverflowError("a bug in a transport");
			}
			return SendResult.success(1, 10);
		}), TestClients.FAST_RETRIES);
		this.aggregator.incr("retried", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(transport.sends.get()).isEqualTo(2);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.delivered()).isEqualTo(1);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void anInterruptedCallerStillWaitsForTheOutcomeAndKeepsItsInterruptStatus() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> SendResult.success(1, 10)), SLOW_RETRIES);
		this.aggregator.incr("flushed", 1);
		Thread.currentThread().interrupt();
		try {
			assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
			this.aggregator.incr("stopped", 1);
			assertThat(this.sender.stop(Duration.ofSeconds(5))).isZero();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(transport.sentUpdates()).isEqualTo(2);
		assertThat(transport.closed.get()).isEqualTo(1);
	}

	@Test
	void retriesKeepToTheGrowingBackoff() {
		List<Long> sendNanos = new CopyOnWriteArrayList<>();
		ScriptedTransport transport = start(new ScriptedTransport((index) -> {
			sendNanos.add(System.nanoTime());
			return (index < 3) ? SendResult.retry("HTTP 503") : SendResult.success(1, 10);
		}), new RetryPolicy(Duration.ofMillis(60), Duration.ofSeconds(5), 2.0, 0.0));
		this.aggregator.incr("retried", 1);
		this.sender.wake();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.stats.snapshot().delivered() == 1);
		assertThat(transport.sends.get()).isEqualTo(4);
		// Never early; a busy machine may make a retry late.
		long[] expected = { 60, 120, 240 };
		for (int i = 0; i < expected.length; i++) {
			long gap = TimeUnit.NANOSECONDS.toMillis(sendNanos.get(i + 1) - sendNanos.get(i));
			assertThat(gap).as("milliseconds before retry %d", i + 1)
				.isBetween(expected[i] * 3 / 4, expected[i] + 2000);
		}
		assertThat(this.stats.snapshot().retries()).isEqualTo(3);
	}

	@Test
	void aBusySenderSendsAtMostOncePerLingerAndAnIdleOneAtOnce() throws Exception {
		List<Long> sendNanos = new CopyOnWriteArrayList<>();
		ScriptedTransport transport = new ScriptedTransport((index) -> {
			sendNanos.add(System.nanoTime());
			return SendResult.success(1, 10);
		});
		this.sender = new Sender(this.aggregator, transport, this.stats, SLOW_RETRIES, Duration.ofMillis(100), 1000,
				Thread::new);
		this.sender.start();
		long start = System.nanoTime();
		while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000)) {
			this.aggregator.incr("busy", 1);
			this.sender.wake();
			Thread.sleep(1);
		}
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		// Without the linger, nearly every increment would be a send of its own.
		assertThat(sendNanos).as("sends in %d ms", elapsedMillis).hasSizeBetween(3, (int) (elapsedMillis / 100) + 2);
		// The first increment goes at once and the flush cuts the last linger short; the
		// sends between keep to the linger, give or take when the sending thread runs.
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < sendNanos.size() - 1; i++) {
			gaps.add(TimeUnit.NANOSECONDS.toMillis(sendNanos.get(i) - sendNanos.get(i - 1)));
		}
		gaps.sort(null);
		assertThat(gaps.get(gaps.size() / 2)).as("median of %s ms between sends", gaps).isGreaterThanOrEqualTo(75);
		assertThat(transport.sentUpdates()).isEqualTo(this.stats.snapshot().recorded());
	}

	@Test
	void afterARejectionFlushesWithinTheBackoffSendNothingAndWhatIsRecordedStaysPending() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> SendResult.rejected("HTTP 401")),
				SLOW_RETRIES);
		this.aggregator.incr("refused", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isFalse();
		assertThat(this.stats.snapshot().dropped(DropReason.REJECTED)).isEqualTo(1);
		for (int i = 0; i < 3; i++) {
			this.aggregator.incr("waiting", 1);
			assertThat(this.sender.flush(Duration.ofSeconds(5))).isFalse();
		}
		assertThat(transport.sends.get()).isEqualTo(1);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.pending()).isEqualTo(3);
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(telemetry.retries()).isZero();
	}

	@Test
	void anEntryTheServiceCannotTakeIsIsolatedAndDroppedAndTheRestDelivered() {
		List<Integer> sizes = new CopyOnWriteArrayList<>();
		ScriptedTransport transport = new ScriptedTransport(null) {
			@Override
			public SendResult send(Batch batch) {
				this.sends.incrementAndGet();
				sizes.add(batch.size());
				boolean[] bad = new boolean[1];
				batch.forEachCounter((name, value, updates) -> bad[0] |= name.equals("bad"));
				if (bad[0]) {
					return SendResult.split("HTTP 400");
				}
				this.delivered.addAndGet(batch.updates());
				return SendResult.success(1, 10);
			}
		};
		start(transport, SLOW_RETRIES);
		for (int i = 0; i < 6; i++) {
			this.aggregator.incr("good." + i, 1);
		}
		this.aggregator.incr("bad", 1);
		this.aggregator.incr("bad", 1);
		this.aggregator.incr("good.last", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isFalse();
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.dropped(DropReason.REJECTED)).isEqualTo(2);
		assertThat(telemetry.delivered()).isEqualTo(7);
		assertThat(transport.delivered.get()).isEqualTo(7);
		assertThat(telemetry.unaccounted()).isZero();
		// Halves of halves: 8 entries, then 4 and 4, then 2 and 2, then the entry alone.
		assertThat(sizes).startsWith(8, 4).contains(1).allSatisfy((size) -> assertThat(size).isPositive());
		assertThat(telemetry.lastErrorMessage()).isEqualTo("HTTP 400");
		this.aggregator.incr("good.after", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void aBatchOfExactlyTheTransportsLimitIsOneRequestAndALargerOneIsSplitIntoFullParts() {
		List<Integer> sizes = new CopyOnWriteArrayList<>();
		ScriptedTransport transport = new ScriptedTransport(null, 4) {
			@Override
			public SendResult send(Batch batch) {
				sizes.add(batch.size());
				this.delivered.addAndGet(batch.updates());
				return SendResult.success(1, 10);
			}
		};
		start(transport, SLOW_RETRIES);
		for (int i = 0; i < 4; i++) {
			this.aggregator.incr("four." + i, 1);
		}
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(sizes).containsExactly(4);
		sizes.clear();
		for (int i = 0; i < 9; i++) {
			this.aggregator.incr("nine." + i, 1);
		}
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(sizes).containsExactly(4, 4, 1);
		assertThat(transport.sentUpdates()).isEqualTo(13);
		assertThat(this.stats.snapshot().unaccounted()).isZero();
	}

	@Test
	void whileEachPartOfASplitBatchIsInFlightThePendingCountHoldsEveryUpdateNotYetSent() {
		List<Long> pendingAtSend = new CopyOnWriteArrayList<>();
		List<Long> updatesSent = new CopyOnWriteArrayList<>();
		ScriptedTransport transport = new ScriptedTransport(null, 2) {
			@Override
			public SendResult send(Batch batch) {
				pendingAtSend.add(SenderOutcomeTests.this.stats.snapshot().pending());
				updatesSent.add(batch.updates());
				this.delivered.addAndGet(batch.updates());
				return SendResult.success(1, 10);
			}
		};
		start(transport, SLOW_RETRIES);
		for (int i = 1; i <= 5; i++) {
			this.aggregator.incr("counter." + i, i);
			for (int update = 1; update < i; update++) {
				this.aggregator.incr("counter." + i, 1);
			}
		}
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(updatesSent).hasSize(3);
		long unsent = 15;
		for (int i = 0; i < updatesSent.size(); i++) {
			assertThat(pendingAtSend.get(i)).as("pending while part %d of %s is sent", i, updatesSent)
				.isEqualTo(unsent);
			unsent -= updatesSent.get(i);
		}
		assertThat(unsent).isZero();
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.pending()).isZero();
		assertThat(telemetry.delivered()).isEqualTo(15);
		assertThat(telemetry.recorded()).isEqualTo(15);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void whatIsRecordedWhileAFailedBatchWaitsForItsRetryIsDrainedAndCountedAsPending() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> SendResult.retry("HTTP 503")),
				SLOW_RETRIES);
		this.aggregator.incr("first", 1);
		this.sender.wake();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.stats.snapshot().retries() == 1);
		this.aggregator.incr("waiting", 1);
		this.aggregator.incr("waiting", 1);
		this.aggregator.time("waiting.timer", 5);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.stats.snapshot().pending()).isEqualTo(4));
		assertThat(transport.sends.get()).as("no send before the retry's backoff").isEqualTo(1);
		assertThat(this.stats.snapshot().unaccounted()).isZero();
	}

	@Test
	void aLossInASendNoFlushAskedForIsReportedByTheNextFlushAndOnlyByIt() {
		ScriptedTransport transport = start(new ScriptedTransport((index) -> (index == 1)
				? SendResult.failed(1, 10, "1 of 1 datagrams failed", 1) : SendResult.success(1, 10)), SLOW_RETRIES);
		this.aggregator.incr("flushed", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		this.aggregator.incr("lost", 1);
		this.sender.wake();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.stats.snapshot().dropped(DropReason.SEND_FAILED) == 1);
		assertThat(transport.sends.get()).isEqualTo(2);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).as("an update was lost since the last flush").isFalse();
		assertThat(this.sender.flush(Duration.ofSeconds(5))).as("nothing lost since").isTrue();
		this.aggregator.incr("after", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.delivered()).isEqualTo(2);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void aFailedSendThatLostNothingStillCountsEveryMetricAsSentAndTheFlushAsDelivered() {
		start(new ScriptedTransport((index) -> SendResult.failed(2, 20, "1 of 2 datagrams needed a resend", 0)),
				SLOW_RETRIES);
		this.aggregator.incr("kept", 1);
		this.aggregator.gauge("kept.gauge", 3);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.sentMetrics()).isEqualTo(2);
		assertThat(telemetry.delivered()).isEqualTo(2);
		assertThat(telemetry.droppedTotal()).isZero();
		assertThat(telemetry.failures()).isEqualTo(1);
		assertThat(telemetry.unaccounted()).isZero();
	}

	@Test
	void whileTimerValuesArriveFasterThanALingerHoldsEachEarlySendCarriesHalfThePendingLimit() throws Exception {
		List<Integer> valuesPerSend = new CopyOnWriteArrayList<>();
		ScriptedTransport transport = new ScriptedTransport(null) {
			@Override
			public SendResult send(Batch batch) {
				valuesPerSend.add(batch.valueCount());
				this.delivered.addAndGet(batch.updates());
				return SendResult.success(1, 10);
			}
		};
		this.sender = new Sender(this.aggregator, transport, this.stats, SLOW_RETRIES, Duration.ofMinutes(1), 1000,
				Thread::new);
		this.sender.start();
		// Two flushes a moment apart: 300 values between them is far more than a quarter
		// of the limit per minute's linger.
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 300; i++) {
				this.aggregator.time("burst", i);
			}
			assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		}
		// 1,200 values a few at a time, well within the minute's linger.
		for (int i = 0; i < 200; i++) {
			for (int value = 0; value < 6; value++) {
				this.aggregator.time("burst", value);
			}
			// As the client does after each record.
			this.sender.wake();
			Thread.sleep(1);
		}
		// At least half the limit goes without waiting for the linger; how many early
		// sends that takes depends on how promptly the sender runs.
		await().atMost(Duration.ofSeconds(10)).until(() -> transport.sentUpdates() >= 600 + 500);
		List<Integer> early = List.copyOf(valuesPerSend.subList(2, valuesPerSend.size()));
		assertThat(early).as("values in each send before the linger ended")
			.isNotEmpty()
			.allSatisfy((values) -> assertThat(values).isGreaterThanOrEqualTo(500));
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(transport.sentUpdates()).isEqualTo(1800);
		assertThat(this.stats.snapshot().droppedTotal()).isZero();
	}

	@Test
	void aBusySenderDrainsAtMostEvery50MillisecondsWhileValuesComeSlowly() throws Exception {
		ScriptedTransport transport = new ScriptedTransport((index) -> SendResult.success(1, 10));
		// A quarter of the limit per minute's linger is 250 values a minute, so a value a
		// millisecond is busy; an eighth of the limit then takes over 100 ms to arrive.
		this.sender = new Sender(this.aggregator, transport, this.stats, SLOW_RETRIES, Duration.ofMinutes(1), 1000,
				Thread::new);
		this.sender.start();
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		// The flush measures the rate over the second since the previous one.
		int recorded = recordSteadily(Duration.ofSeconds(1));
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		long drainsBefore = this.aggregator.drains();
		long start = System.nanoTime();
		recorded += recordSteadily(Duration.ofSeconds(2));
		long drains = this.aggregator.drains() - drainsBefore;
		double seconds = (System.nanoTime() - start) / 1e9;
		// A drain every 10 ms would be about 200; one every 50 ms, and one per early send
		// of half the limit, under 50.
		assertThat(drains).as("drains in %.1f s of %d values", seconds, recorded).isBetween(1L, 100L);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(transport.sentUpdates()).isEqualTo(recorded);
		assertThat(this.stats.snapshot().droppedTotal()).isZero();
	}

	// One timer value about every millisecond, woken as the client wakes the sender.
	private int recordSteadily(Duration duration) throws InterruptedException {
		int recorded = 0;
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			this.aggregator.time("steady", recorded);
			this.sender.wake();
			recorded++;
			Thread.sleep(1);
		}
		return recorded;
	}

	@Test
	void valuesDroppedWhileTheUnsentPartsOfAFailedSendAreMergedBackAreNoLongerCountedAsPending() {
		ScriptedTransport transport = new ScriptedTransport((index) -> SendResult.retry("HTTP 503"), 2);
		// At most 5 values wait for the retry; the linger and the backoff keep the sender
		// from draining again while the counts are checked.
		this.sender = new Sender(this.aggregator, transport, this.stats, SLOW_RETRIES, Duration.ofSeconds(20), 5,
				Thread::new);
		this.sender.start();
		for (int i = 0; i < 4; i++) {
			this.aggregator.time("first", i);
			this.aggregator.time("second", i);
			this.aggregator.time("third", i);
		}
		this.sender.wake();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.stats.snapshot().retries() == 1);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.dropped(DropReason.VALUE_LIMIT)).isEqualTo(7);
		assertThat(telemetry.pending()).isEqualTo(5);
		assertThat(telemetry.recorded()).isEqualTo(12);
		assertThat(telemetry.unaccounted()).isZero();
		assertThat(transport.sends.get()).isEqualTo(1);
	}

	/** Answers each send by its index. */
	interface Script {

		SendResult answer(int index) throws Exception;

	}

	/** A transport in memory: answers as scripted, and counts sends and closes. */
	static class ScriptedTransport implements Transport {

		final AtomicInteger sends = new AtomicInteger();

		final AtomicInteger closed = new AtomicInteger();

		final java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();

		private final Script script;

		private final int maxBatchEntries;

		ScriptedTransport(Script script) {
			this(script, 1000);
		}

		ScriptedTransport(Script script, int maxBatchEntries) {
			this.script = script;
			this.maxBatchEntries = maxBatchEntries;
		}

		@Override
		public SendResult send(Batch batch) throws Exception {
			SendResult result = this.script.answer(this.sends.getAndIncrement());
			if (result.outcome() == SendResult.Outcome.SUCCESS) {
				this.delivered.addAndGet(batch.updates());
			}
			return result;
		}

		long sentUpdates() {
			return this.delivered.get();
		}

		@Override
		public int maxBatchEntries() {
			return this.maxBatchEntries;
		}

		@Override
		public void close() {
			this.closed.incrementAndGet();
		}

	}

}
