package io.heare.stats.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StripedCounter}.
 */
class StripedCounterTests {

	@Test
	void drainingWhileThreadsCountLosesNothing() throws Exception {
		StripedCounter counter = new StripedCounter();
		int threads = 4;
		int perThread = 2_000_000;
		AtomicBoolean done = new AtomicBoolean();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			workers.add(new Thread(() -> {
				for (int i = 0; i < perThread; i++) {
					counter.increment();
				}
			}));
		}
		workers.forEach(Thread::start);
		long drained = 0;
		while (!done.get()) {
			drained += counter.sumThenReset();
			done.set(workers.stream().noneMatch(Thread::isAlive));
		}
		for (Thread worker : workers) {
			worker.join();
		}
		drained += counter.sumThenReset();
		assertThat(drained).isEqualTo((long) threads * perThread);
		assertThat(counter.sumThenReset()).isZero();
	}

	@Test
	void countsOnOneThreadWithoutStriping() {
		StripedCounter counter = new StripedCounter();
		for (int i = 0; i < 1000; i++) {
			counter.increment();
		}
		assertThat(counter.sumThenReset()).isEqualTo(1000);
		counter.increment();
		assertThat(counter.sumThenReset()).isEqualTo(1);
	}

}
