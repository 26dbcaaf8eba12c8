package io.heare.stats.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link HttpClient} loses nothing and batches under concurrent load.
 */
class HttpClientConcurrencyTests {

	private static final int THREADS = 8;

	private static final int PIPELINES_PER_THREAD = 10_000;

	@StartStop
	final MockWebServer server = new MockWebServer();

	@Test
	void eightThreadsOfPipelinesArriveExactlyInFarFewerRequests() throws Exception {
		ReceivedMetrics received = new ReceivedMetrics();
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				synchronized (received) {
					received.add(request.getBody().string(StandardCharsets.UTF_8));
				}
				return new MockResponse.Builder().code(200).build();
			}
		});
		HttpClient client = new HttpClient("127.0.0.1", this.server.getPort(), "s3cret", "load");
		CountDownLatch start = new CountDownLatch(1);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			int thread = t;
			threads.add(new Thread(() -> {
				try {
					start.await();
					for (int i = 0; i < PIPELINES_PER_THREAD; i++) {
						try (Pipeline pipe = client.pipeline()) {
							pipe.incr("requests.total");
							pipe.incr("requests.thread." + thread, 2);
							pipe.decr("inflight");
							pipe.time("response.time", i % 50);
							pipe.gauge("last.thread", thread);
						}
					}
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			}));
		}
		threads.forEach(Thread::start);
		start.countDown();
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(60));
		}
		assertThat(failure.get()).isNull();
		assertThat(client.flush()).isTrue();
		client.close();

		int pipelines = THREADS * PIPELINES_PER_THREAD;
		synchronized (received) {
			assertThat(received.counters.get("load.requests.total")).isEqualTo(pipelines);
			assertThat(received.counters.get("load.inflight")).isEqualTo(-pipelines);
			for (int t = 0; t < THREADS; t++) {
				assertThat(received.counters.get("load.requests.thread." + t)).isEqualTo(2.0 * PIPELINES_PER_THREAD);
			}
			assertThat(received.timers.get("load.response.time")).hasSize(pipelines);
			assertThat(received.gauges.get("load.last.thread")).isBetween(0.0, THREADS - 1.0);
			assertThat(received.bodies).isLessThan(pipelines / 100);
		}
		Telemetry telemetry = client.telemetry();
		assertThat(telemetry.droppedTotal()).isZero();
		assertThat(telemetry.requests()).isEqualTo(this.server.getRequestCount());
		assertThat(telemetry.recorded()).isEqualTo(5L * pipelines);
	}

}
