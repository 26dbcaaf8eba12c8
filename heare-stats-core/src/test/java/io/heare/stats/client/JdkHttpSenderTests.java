package io.heare.stats.client;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.heare.stats.client.MockWebServers.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link JdkHttpSender} against a real HTTP server: what it sends, which
 * threads it uses, and when it posts a request again.
 */
class JdkHttpSenderTests {

	private static final byte[] BODY = "{\"counters\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8);

	@StartStop
	final MockWebServer server = new MockWebServer();

	private final JdkHttpSender sender = new JdkHttpSender(Duration.ofSeconds(5), null);

	@BeforeEach
	void answerOk() {
		QueueDispatcher dispatcher = new QueueDispatcher();
		dispatcher.setFailFast(new MockResponse.Builder().code(200).build());
		this.server.setDispatcher(dispatcher);
	}

	@AfterEach
	void closeSender() {
		this.sender.close();
		Thread.interrupted();
	}

	@Test
	void postsOnTheCallingThreadWithoutStartingAThreadPerPost() throws Exception {
		URI uri = this.server.url("/http").uri();
		// The first post starts the JDK client's selector and worker threads.
		assertThat(post(uri)).isCompletedWithValue(200);
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long started = threads.getTotalStartedThreadCount();
		for (int i = 0; i < 30; i++) {
			// Complete when post returns: the exchange ran on this thread.
			assertThat(post(uri)).isCompletedWithValue(200);
		}
		// CompletableFuture's default executor starts a thread per task on a machine with
		// fewer than three processors: an asynchronous send would start one per post.
		assertThat(threads.getTotalStartedThreadCount() - started).isLessThan(10);
		for (int i = 0; i < 31; i++) {
			assertThat(body(MockWebServers.take(this.server))).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
		}
	}

	@Test
	void aResponseBodyThatTricklesInFailsAtTheTimeoutSoThePostingThreadIsNeverStuck() {
		this.server.enqueue(
				new MockResponse.Builder().code(200).body("x".repeat(20)).throttleBody(1, 1, TimeUnit.SECONDS).build());
		long start = System.nanoTime();
		CompletableFuture<Integer> status = this.sender.post(this.server.url("/http").uri(), Map.of(), BODY,
				Duration.ofMillis(300));
		// Reading the whole body at a byte a second would take 20 s.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThatThrownBy(status::join).hasCauseInstanceOf(HttpTimeoutException.class);
	}

	@Test
	void anInterruptedPostFailsWithTheInterruptAndKeepsItsStatus() {
		Thread.currentThread().interrupt();
		CompletableFuture<Integer> status = post(this.server.url("/http").uri());
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		assertThat(status).isCompletedExceptionally();
		assertThatThrownBy(status::join).isInstanceOf(CompletionException.class)
			.hasCauseInstanceOf(InterruptedException.class);
	}

	@Test
	void runsTheJdkClientsWorkOnTheConfiguredExecutor() {
		AtomicInteger tasks = new AtomicInteger();
		ExecutorService pool = Executors.newCachedThreadPool();
		JdkHttpSender sender = new JdkHttpSender(Duration.ofSeconds(5), (task) -> {
			tasks.incrementAndGet();
			pool.execute(task);
		});
		try {
			assertThat(sender.post(this.server.url("/http").uri(), Map.of(), BODY, Duration.ofSeconds(5)))
				.isCompletedWithValue(200);
			assertThat(tasks).hasPositiveValue();
		}
		finally {
			sender.close();
			pool.shutdownNow();
		}
	}

	@Test
	void postsPlainHttpAsHttp11WithoutOfferingAnH2cUpgrade() throws Exception {
		assertThat(post(this.server.url("/http").uri())).isCompletedWithValue(200);
		RecordedRequest request = MockWebServers.take(this.server);
		assertThat(request.getRequestLine()).isEqualTo("POST /http HTTP/1.1");
		assertThat(this.sender).hasToString("JdkHttpSender");
		assertThat(request.getHeaders().get("Upgrade")).isNull();
		assertThat(request.getHeaders().get("HTTP2-Settings")).isNull();
		assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
		assertThat(body(request)).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
	}

	@Test
	void aConnectionClosedBeforeAnyResponseByteIsPostedAgainOnANewConnection() throws Exception {
		this.server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
		this.server.enqueue(new MockResponse.Builder().code(202).build());
		assertThat(post(this.server.url("/http").uri())).isCompletedWithValue(202);
		RecordedRequest closed = MockWebServers.take(this.server);
		RecordedRequest again = MockWebServers.take(this.server);
		assertThat(body(again)).isEqualTo(body(closed)).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
		assertThat(again.getConnectionIndex()).isNotEqualTo(closed.getConnectionIndex());
	}

	@Test
	void aConnectionClosedAfterTheResponseBeganIsNotPostedAgain() {
		// The service has answered, so it has the request: posting it again would count
		// it twice.
		this.server.enqueue(new MockResponse.Builder().code(200)
			.body("x".repeat(1000))
			.onResponseBody(new SocketEffect.CloseSocket())
			.build());
		CompletableFuture<Integer> status = post(this.server.url("/http").uri());
		assertThatThrownBy(status::join).hasCauseInstanceOf(java.io.IOException.class);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	private CompletableFuture<Integer> post(URI uri) {
		return this.sender.post(uri, Map.of("Content-Type", "application/json"), BODY, Duration.ofSeconds(5));
	}

}
