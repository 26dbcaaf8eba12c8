package io.heare.stats.client;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the spacing {@link DatagramPacer} gives datagrams, on the real clock: never
 * faster than the rate after the first hundredth of a second's worth, even after an idle
 * spell, waiting without spinning, and never holding back a thread that is interrupted.
 */
@Timeout(30)
class DatagramPacerTests {

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void spacesDatagramsToTheRate() {
		// At 50 a second a hundredth of a second's worth is less than one datagram: no
		// burst, every datagram 20 ms after the one before.
		DatagramPacer pacer = new DatagramPacer(50);
		assertThat(timeOf(pacer, 6)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
	}

	@Test
	void spacesDatagramsToTheRateAfterAnIdleSpell() throws InterruptedException {
		DatagramPacer pacer = new DatagramPacer(50);
		pacer.await();
		// Idle time is not saved up as credit for a burst later.
		Thread.sleep(300);
		assertThat(timeOf(pacer, 6)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
	}

	@Test
	void letsAHundredthOfASecondsWorthGoBackToBackThenKeepsTheRate() {
		// At 10,000 a second: 100 datagrams at once, then one every 0.1 ms. The least of
		// a few tries, so that a thread descheduled once does not decide.
		Duration burst = Duration.ofDays(1);
		for (int i = 0; i < 5; i++) {
			Duration time = timeOf(new DatagramPacer(10_000), 100);
			burst = (time.compareTo(burst) < 0) ? time : burst;
		}
		assertThat(burst).isLessThan(Duration.ofMillis(5));
		// 1,100 datagrams: the burst, then 1,000 at the rate.
		assertThat(timeOf(new DatagramPacer(10_000), 1_100)).isGreaterThanOrEqualTo(Duration.ofMillis(99));
	}

	@Test
	void atTwoHundredASecondLetsTwoGoBackToBack() {
		// A hundredth of a second's worth is two datagrams; the other nine are 5 ms
		// apart.
		assertThat(timeOf(new DatagramPacer(200), 11)).isGreaterThanOrEqualTo(Duration.ofMillis(44));
	}

	@Test
	void neverLetsMoreThanAHundredthOfASecondsWorthGoBackToBack() {
		// At 200 a second that is two datagrams: any three span at least one interval of
		// 5 ms. The best of a few tries, so that a thread descheduled once does not
		// decide.
		long closestThree = 0;
		for (int i = 0; i < 5; i++) {
			DatagramPacer pacer = new DatagramPacer(200);
			long[] sent = new long[11];
			for (int k = 0; k < sent.length; k++) {
				pacer.await();
				sent[k] = System.nanoTime();
			}
			long closest = Long.MAX_VALUE;
			for (int k = 0; k + 2 < sent.length; k++) {
				closest = Math.min(closest, sent[k + 2] - sent[k]);
			}
			closestThree = Math.max(closestThree, closest);
		}
		assertThat(Duration.ofNanos(closestThree)).isGreaterThanOrEqualTo(Duration.ofMillis(4));
	}

	@Test
	void waitsWithoutKeepingAProcessorBusy() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Assumptions.assumeTrue(threads.isCurrentThreadCpuTimeSupported());
		long cpuStart = threads.getCurrentThreadCpuTime();
		// 300 ms of waiting at 20 a second.
		Duration waited = timeOf(new DatagramPacer(20), 7);
		Duration cpu = Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpuStart);
		assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(cpu).isLessThan(Duration.ofMillis(100));
	}

	@Test
	void neverHoldsBackAnInterruptedThread() {
		DatagramPacer pacer = new DatagramPacer(1);
		Thread.currentThread().interrupt();
		// Four datagrams at 1 a second would take 3 s.
		assertThat(timeOf(pacer, 4)).isLessThan(Duration.ofSeconds(2));
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
	}

	private static Duration timeOf(DatagramPacer pacer, int datagrams) {
		long start = System.nanoTime();
		for (int i = 0; i < datagrams; i++) {
			pacer.await();
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
