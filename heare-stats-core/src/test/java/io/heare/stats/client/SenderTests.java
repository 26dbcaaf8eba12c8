package io.heare.stats.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tests for {@link Sender}. */
@Timeout(30)
class SenderTests {

	@Test
	void flushReportsALossFromASendThatStartedBeforeTheFlush() throws Exception {
		CountDownLatch sending = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Transport rejecting = (batch) -> {
			sending.countDown();
			release.await(10, TimeUnit.SECONDS);
			return SendResult.rejected("HTTP 401: the secret was rejected");
		};
		ClientStats stats = new ClientStats();
		Aggregator aggregator = new Aggregator(null, 100, 1000, stats);
		Sender sender = new Sender(aggregator, rejecting, stats, RetryPolicy.DEFAULT, Duration.ZERO, 1000, Thread::new);
		sender.start();
		try {
			aggregator.incr("requests", 1);
			sender.wake();
			assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Boolean> flushed = new CompletableFuture<>();
			Thread flusher = new Thread(() -> flushed.complete(sender.flush(Duration.ofSeconds(5))));
			flusher.start();
			// The flush request has landed, while the rejected send is still in progress,
			// once the flushing thread waits for its outcome.
			await().atMost(Duration.ofSeconds(5)).until(() -> flusher.getState() == Thread.State.TIMED_WAITING);
			release.countDown();
			assertThat(flushed.get(10, TimeUnit.SECONDS)).as("the metric recorded before the flush was lost").isFalse();
		}
		finally {
			release.countDown();
			sender.stop(Duration.ofSeconds(1));
		}
	}

	@Test
	void aCauseIsLoggedOnceEvenAcrossRecoveries() throws Exception {
		java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
		// Fails, succeeds, fails the same way again, succeeds.
		Transport flaky = (batch) -> (sends.incrementAndGet() % 2 == 1)
				? SendResult.retry("HTTP 503 from http://127.0.0.1:1/http") : SendResult.success(1, 10);
		ClientStats stats = new ClientStats();
		Aggregator aggregator = new Aggregator(null, 100, 1000, stats);
		java.io.PrintStream original = System.err;
		java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
		System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
		Sender sender = new Sender(aggregator, flaky, stats,
				new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5), 2, 0), Duration.ZERO, 1000, Thread::new);
		sender.start();
		try {
			for (int round = 0; round < 3; round++) {
				aggregator.incr("requests", 1);
				assertThat(sender.flush(Duration.ofSeconds(5))).isTrue();
			}
		}
		finally {
			sender.stop(Duration.ofSeconds(1));
			System.setErr(original);
		}
		assertThat(sends.get()).isGreaterThanOrEqualTo(6);
		String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(log.split("HTTP 503", -1)).as(log).hasSize(2);
		assertThat(stats.snapshot().delivered()).isEqualTo(3);
	}

	@Test
	void everyKindOfFailureIsLoggedAsAWarningWithItsCause() throws Exception {
		java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
		SendResult[] answers = { SendResult.retry("HTTP 503: unavailable"), SendResult.success(1, 10),
				SendResult.failed(1, 10, "1 of 1 datagrams failed", 1), SendResult.split("HTTP 413: too large"),
				SendResult.rejected("HTTP 401: the secret was rejected") };
		Transport scripted = (batch) -> answers[Math.min(sends.getAndIncrement(), answers.length - 1)];
		ClientStats stats = new ClientStats();
		Aggregator aggregator = new Aggregator(null, 100, 1000, stats);
		java.io.PrintStream original = System.err;
		java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
		System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
		Sender sender = new Sender(aggregator, scripted, stats,
				new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5), 2, 0), Duration.ZERO, 1000, Thread::new);
		sender.start();
		try {
			aggregator.incr("retried", 1);
			assertThat(sender.flush(Duration.ofSeconds(5))).isTrue();
			for (String name : new String[] { "failed", "split", "rejected" }) {
				aggregator.incr(name, 1);
				assertThat(sender.flush(Duration.ofSeconds(5))).as(name).isFalse();
			}
		}
		finally {
			sender.stop(Duration.ofSeconds(1));
			System.setErr(original);
		}
		assertThat(sends.get()).isEqualTo(5);
		String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
		for (String cause : new String[] { "HTTP 503: unavailable", "1 of 1 datagrams failed", "HTTP 413: too large",
				"HTTP 401: the secret was rejected" }) {
			assertThat(log.lines().filter((line) -> line.contains(cause))).as(log)
				.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
				.contains("WARN");
		}
		assertThat(stats.snapshot().unaccounted()).isZero();
	}

}
