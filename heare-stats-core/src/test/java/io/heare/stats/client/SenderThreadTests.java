package io.heare.stats.client;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.heare.stats.client.SenderOutcomeTests.ScriptedTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the {@link Sender}'s thread: a daemon that sleeps while there is nothing to
 * do, wakes at once for a record, a flush or a stop, and survives a failure outside a
 * send without losing what it held.
 */
@Timeout(30)
class SenderThreadTests {

	private static final RetryPolicy SLOW_RETRIES = new RetryPolicy(Duration.ofSeconds(20), Duration.ofSeconds(20), 1.0,
			0.0);

	// Far below what a thread spinning on a core uses in the same time, even on a
	// loaded machine, and far above what a sleeping one does.
	private static final long SLEEPING_CPU_MILLIS = 60;

	private final ClientStats stats = new ClientStats();

	private final Aggregator aggregator = new Aggregator(null, 100, 1000, this.stats);

	private final AtomicReference<Thread> thread = new AtomicReference<>();

	private Sender sender;

	@AfterEach
	void stopSender() {
		if (this.sender != null) {
			this.sender.stop(Duration.ofSeconds(1));
		}
	}

	private void start(Transport transport, Duration linger) {
		this.sender = new Sender(this.aggregator, transport, this.stats, SLOW_RETRIES, linger, 1000, (runnable) -> {
			Thread created = new Thread(runnable, "heare-stats-sender-test");
			// Whatever the thread creating it is, as an application's factory may do.
			created.setDaemon(false);
			this.thread.set(created);
			return created;
		});
		this.sender.start();
	}

	@Test
	void theSenderThreadIsADaemonSoThatItNeverKeepsTheJvmRunning() {
		start(new ScriptedTransport((index) -> SendResult.success(1, 10)), Duration.ZERO);
		assertThat(this.thread.get().isDaemon()).isTrue();
	}

	@Test
	void anIdleSenderSleepsRatherThanSpinning() throws Exception {
		start(new ScriptedTransport((index) -> SendResult.success(1, 10)), Duration.ZERO);
		this.aggregator.incr("once", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(cpuMillisOverHalfASecond()).as("CPU milliseconds used in 500 ms with nothing to send")
			.isLessThan(SLEEPING_CPU_MILLIS);
	}

	@Test
	void aSenderWaitingOutItsLingerSleepsRatherThanSpinning() throws Exception {
		ScriptedTransport transport = new ScriptedTransport((index) -> SendResult.success(1, 10));
		start(transport, Duration.ofSeconds(20));
		this.aggregator.incr("first", 1);
		this.sender.wake();
		await().atMost(Duration.ofSeconds(5)).until(() -> transport.sends.get() == 1);
		this.aggregator.incr("lingering", 1);
		this.sender.wake();
		assertThat(cpuMillisOverHalfASecond()).as("CPU milliseconds used in 500 ms of a 20 s linger")
			.isLessThan(SLEEPING_CPU_MILLIS);
		assertThat(transport.sends.get()).as("nothing sent within the linger").isEqualTo(1);
	}

	@Test
	void anIdleSenderSendsWhatIsRecordedAtOnceRatherThanAtItsNextWakeUp() {
		ScriptedTransport transport = new ScriptedTransport((index) -> SendResult.success(1, 10));
		start(transport, Duration.ZERO);
		long start = System.nanoTime();
		for (int round = 1; round <= 5; round++) {
			// Each round finds the sender asleep after the previous send.
			this.aggregator.incr("round", 1);
			this.sender.wake();
			long expected = round;
			// Polled often: the default 100 ms poll over five rounds is a fifth of the
			// bound.
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> transport.sentUpdates() == expected);
		}
		// An idle sender sleeps for a second at a time when nothing wakes it.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
	}

	@Test
	void aFlushWakesAnIdleSenderAtOnce() {
		start(new ScriptedTransport((index) -> SendResult.success(1, 10)), Duration.ZERO);
		long start = System.nanoTime();
		for (int round = 0; round < 5; round++) {
			awaitAsleep();
			this.aggregator.incr("round", 1);
			assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
		assertThat(this.stats.snapshot().delivered()).isEqualTo(5);
	}

	@Test
	void aFlushWaitingWhenTheSenderStopsReturnsOnceItHasStopped() throws Exception {
		CountDownLatch sending = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		start(new ScriptedTransport((index) -> {
			sending.countDown();
			// Returns only when interrupted.
			never.await(20, TimeUnit.SECONDS);
			return SendResult.success(1, 10);
		}), Duration.ZERO);
		this.aggregator.incr("stuck", 1);
		this.sender.wake();
		assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Long> flushed = CompletableFuture.supplyAsync(() -> {
			long start = System.nanoTime();
			assertThat(this.sender.flush(Duration.ofSeconds(5))).isFalse();
			return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		});
		this.sender.stop(Duration.ofMillis(100));
		assertThat(flushed.get(10, TimeUnit.SECONDS)).as("milliseconds the flush waited").isLessThan(2500);
	}

	@Test
	void aSendWaitsOutOnlyWhatIsLeftOfTheLingerAfterThePreviousSend() throws Exception {
		List<Long> sendNanos = new CopyOnWriteArrayList<>();
		start(new ScriptedTransport((index) -> {
			sendNanos.add(System.nanoTime());
			return SendResult.success(1, 10);
		}), Duration.ofSeconds(3));
		this.aggregator.incr("first", 1);
		this.sender.wake();
		await().atMost(Duration.ofSeconds(5)).until(() -> sendNanos.size() == 1);
		// Recorded late in the linger: the send follows when the linger ends (3 s after
		// the first), not a whole linger after the record (5.1 s) nor at once (2.1 s).
		long recordAt = sendNanos.get(0) + TimeUnit.MILLISECONDS.toNanos(2100);
		TimeUnit.NANOSECONDS.sleep(recordAt - System.nanoTime());
		this.aggregator.incr("second", 1);
		this.sender.wake();
		await().atMost(Duration.ofSeconds(10)).until(() -> sendNanos.size() == 2);
		assertThat(TimeUnit.NANOSECONDS.toMillis(sendNanos.get(1) - sendNanos.get(0)))
			.as("milliseconds between the sends")
			.isBetween(2250L, 4500L);
	}

	@Test
	void stopEndsAnIdleSenderAtOnceAndClosesTheTransport() {
		ScriptedTransport transport = new ScriptedTransport((index) -> SendResult.success(1, 10));
		start(transport, Duration.ZERO);
		this.aggregator.incr("sent", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		// Asleep for a second after the flush's send, unless stop wakes it.
		long start = System.nanoTime();
		assertThat(this.sender.stop(Duration.ofSeconds(5))).isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(600));
		assertThat(this.thread.get().isAlive()).isFalse();
		assertThat(transport.closed.get()).isEqualTo(1);
	}

	@Test
	void aFailureOutsideASendLosesNothingAndTheSenderPausesBeforeGoingOn() {
		List<Long> asked = new CopyOnWriteArrayList<>();
		AtomicInteger sends = new AtomicInteger();
		Transport faulty = new Transport() {

			@Override
			public SendResult send(Batch batch) {
				sends.incrementAndGet();
				return SendResult.success(1, 10);
			}

			@Override
			public int maxBatchEntries() {
				asked.add(System.nanoTime());
				if (asked.size() == 2) {
					throw new IllegalStateException("a bug in a transport");
				}
				return 1000;
			}

			@Override
			public void close() {
			}

		};
		start(faulty, Duration.ZERO);
		this.aggregator.incr("first", 1);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		awaitAsleep();
		this.aggregator.incr("kept", 1);
		this.aggregator.time("kept.timer", 2);
		assertThat(this.sender.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(sends.get()).isEqualTo(2);
		Telemetry telemetry = this.stats.snapshot();
		assertThat(telemetry.delivered()).isEqualTo(3);
		assertThat(telemetry.pending()).isZero();
		assertThat(telemetry.unaccounted()).isZero();
		// Rather than failing again and again as fast as the thread can go.
		assertThat(TimeUnit.NANOSECONDS.toMillis(asked.get(2) - asked.get(1))).isGreaterThanOrEqualTo(75);
	}

	// Parked for its idle second after a send, unless something wakes it.
	private void awaitAsleep() {
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.thread.get().getState() == Thread.State.TIMED_WAITING);
	}

	private long cpuMillisOverHalfASecond() throws InterruptedException {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		@SuppressWarnings("deprecation")
		long id = this.thread.get().getId();
		long before = threads.getThreadCpuTime(id);
		TimeUnit.MILLISECONDS.sleep(500);
		return TimeUnit.NANOSECONDS.toMillis(threads.getThreadCpuTime(id) - before);
	}

}
