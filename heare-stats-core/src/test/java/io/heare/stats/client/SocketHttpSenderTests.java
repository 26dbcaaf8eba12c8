package io.heare.stats.client;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link SocketHttpSender} against a real server socket that answers with
 * scripted bytes, so that every way an HTTP/1.1 response can end is exercised exactly.
 */
class SocketHttpSenderTests {

	private static final byte[] BODY = "{\"counters\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8);

	private static final Map<String, String> HEADERS = headers();

	private final ScriptedServer server = new ScriptedServer();

	private final SocketHttpSender sender = new SocketHttpSender(Duration.ofSeconds(2));

	@AfterEach
	void close() {
		this.sender.close();
		this.server.close();
		Thread.interrupted();
	}

	@Test
	void writesAnExactHttp11PostWithTheHeadersAndBody() throws Exception {
		this.server.answer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
		assertThat(post("/http?x=1")).isCompletedWithValue(202);
		assertThat(this.sender).hasToString("SocketHttpSender");
		assertThat(this.server.take().text()).isEqualTo("POST /http?x=1 HTTP/1.1\r\n" + "Host: 127.0.0.1:"
				+ this.server.port() + "\r\n" + "User-Agent: heare-stats-java\r\n" + "Authorization: Basic c2VjcmV0\r\n"
				+ "Content-Type: application/json\r\n" + "Content-Length: " + BODY.length + "\r\n" + "\r\n"
				+ new String(BODY, StandardCharsets.UTF_8));
	}

	@Test
	void readsEachKindOfResponseBodyToItsEndAndKeepsTheConnection() throws Exception {
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world");
		this.server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "5;note=x\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n");
		this.server.answer("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
		this.server.answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
		this.server.answer("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\n\r\nfail");
		this.server.answer("HTTP/1.1 429\r\nContent-Length: 0\r\n\r\n");
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(post("/http")).isCompletedWithValue(204);
		assertThat(post("/http")).isCompletedWithValue(201);
		assertThat(post("/http")).isCompletedWithValue(500);
		assertThat(post("/http")).isCompletedWithValue(429);
		for (int i = 0; i < 6; i++) {
			Received request = this.server.take();
			assertThat(request.connection()).as("connection of request %d", i).isZero();
			assertThat(request.body()).isEqualTo(BODY);
		}
	}

	@Test
	void aResponseThatClosesTheConnectionIsFollowedByANewOne() throws Exception {
		this.server.answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
		this.server.answer("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
		this.server.answer("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
		this.server.answer("HTTP/1.1 200 OK\r\nConnection: TE\r\nContent-Length: 0\r\n\r\n");
		this.server.answer("HTTP/1.1 200 OK\r\n\r\nthe body ends where the connection does", true);
		this.server.answer("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\nand bytes after the answer");
		this.server.answer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
		for (int expected : new int[] { 200, 200, 200, 200, 200, 201, 202 }) {
			assertThat(post("/http")).isCompletedWithValue(expected);
		}
		List<Integer> connections = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			connections.add(this.server.take().connection());
		}
		// HTTP/1.0 keeps the connection only when it says keep-alive, HTTP/1.1 unless it
		// says close; bytes after an answer are no answer to anything.
		assertThat(connections).containsExactly(0, 1, 2, 2, 2, 3, 4);
	}

	@Test
	void aKeptConnectionTheServiceClosedWhileIdleIsReplacedAndThePostSentOnce() throws Exception {
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		this.server.closeWithoutAnswer();
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(this.server.take().connection()).isZero();
		Received unanswered = this.server.take();
		Received resent = this.server.take();
		assertThat(unanswered.connection()).isZero();
		assertThat(resent.connection()).isOne();
		assertThat(resent.body()).isEqualTo(BODY);
		assertThat(this.server.requests()).isEqualTo(3);
	}

	@Test
	void aConnectionThatClosesBeforeAnyResponseTwiceFailsAfterOneResend() {
		this.server.closeWithoutAnswer();
		this.server.closeWithoutAnswer();
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		CompletableFuture<Integer> status = post("/http");
		assertThatThrownBy(status::join).hasCauseInstanceOf(java.io.EOFException.class);
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(this.server.requests()).isEqualTo(3);
	}

	@Test
	void aResponseThatIsNotHttpFailsThePostAndDropsTheConnection() throws Exception {
		this.server.answer("SSH-2.0-OpenSSH\r\n\r\n");
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n");
		this.server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
		this.server.answer("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(70_000) + "\r\n\r\n");
		this.server
			.answer("HTTP/1.1 200 OK\r\n" + "X-Many: 0123456789012345678901234567890123\r\n".repeat(2000) + "\r\n");
		this.server.answer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
		assertThatThrownBy(post("/http")::join).hasMessageContaining("not an HTTP/1.x response: SSH-2.0-OpenSSH");
		assertThatThrownBy(post("/http")::join).hasMessageContaining("invalid Content-Length in the response: nope");
		assertThatThrownBy(post("/http")::join).hasMessageContaining("invalid chunk size in the response: zz");
		assertThatThrownBy(post("/http")::join).hasMessageContaining("response line over 65536 bytes");
		assertThatThrownBy(post("/http")::join).hasMessageContaining("response head over 65536 bytes");
		assertThat(post("/http")).isCompletedWithValue(202);
		for (int connection = 0; connection < 6; connection++) {
			assertThat(this.server.take().connection()).isEqualTo(connection);
		}
	}

	@Test
	void aResponseThatTricklesInFailsAtTheTimeoutSoThePostingThreadIsNeverStuck() {
		this.server.answerSlowly("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n" + "x".repeat(20), 100);
		long start = System.nanoTime();
		CompletableFuture<Integer> status = this.sender.post(uri("/http"), HEADERS, BODY, Duration.ofMillis(300));
		// A timeout per read instead of per post would take the whole answer's 6 s.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290),
				Duration.ofMillis(4000));
		assertThatThrownBy(status::join).hasCauseInstanceOf(SocketTimeoutException.class);
	}

	@Test
	void aServiceThatNeverAnswersFailsAtTheTimeout() {
		this.server.neverAnswer();
		// A connect timeout far from the post's, so that waiting for the wrong one shows.
		SocketHttpSender patient = new SocketHttpSender(Duration.ofSeconds(10));
		try {
			long start = System.nanoTime();
			CompletableFuture<Integer> status = patient.post(uri("/http"), HEADERS, BODY, Duration.ofMillis(200));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(190),
					Duration.ofSeconds(5));
			assertThatThrownBy(status::join).hasCauseInstanceOf(SocketTimeoutException.class);
			assertThat(this.server.requests()).isOne();
		}
		finally {
			patient.close();
		}
	}

	@Test
	void aRefusedConnectionFailsAtOnce() throws IOException {
		int port;
		try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = closed.getLocalPort();
		}
		CompletableFuture<Integer> status = this.sender.post(URI.create("http://127.0.0.1:" + port + "/http"), HEADERS,
				BODY, Duration.ofSeconds(2));
		assertThatThrownBy(status::join).hasCauseInstanceOf(ConnectException.class);
	}

	@Test
	void anInterruptedPostFailsWithTheInterruptAndKeepsItsStatus() throws InterruptedException {
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		Thread.currentThread().interrupt();
		CompletableFuture<Integer> status = post("/http");
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		assertThatThrownBy(status::join).isInstanceOf(CompletionException.class)
			.hasCauseInstanceOf(InterruptedException.class);
		Thread.interrupted();
		// The interrupted post opened no connection: the next one is the first.
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(this.server.take().connection()).isZero();
	}

	@Test
	void anInterruptWhileWaitingForTheAnswerEndsThePostAtOnce() throws InterruptedException {
		// Its answer comes too late for the interrupted post, and is no answer to the
		// next.
		CountDownLatch answerNow = new CountDownLatch(1);
		this.server.answerLate("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", answerNow);
		Thread poster = Thread.currentThread();
		CompletableFuture.runAsync(() -> {
			// Interrupts once the request is in: the post is waiting for its answer.
			this.server.awaitRequest();
			poster.interrupt();
		});
		long start = System.nanoTime();
		CompletableFuture<Integer> status = this.sender.post(uri("/http"), HEADERS, BODY, Duration.ofSeconds(30));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(Thread.interrupted()).isTrue();
		assertThatThrownBy(status::join).hasCauseInstanceOf(InterruptedException.class);
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		// Answered only now, after the interrupted post ended: on the old connection, the
		// next post would take it.
		answerNow.countDown();
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(this.server.take().connection()).isOne();
	}

	@Test
	void aResponseStreamedWithoutPauseStillEndsAtTheTimeout() {
		this.server.answerAndStream("HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n");
		long start = System.nanoTime();
		CompletableFuture<Integer> status = this.sender.post(uri("/http"), HEADERS, BODY, Duration.ofMillis(300));
		// A timeout per read instead of per post would read for the 100 GB's minutes.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290),
				Duration.ofSeconds(5));
		assertThatThrownBy(status::join).hasCauseInstanceOf(SocketTimeoutException.class);
	}

	@Test
	void anAnswerTheServiceSendsBeforeReadingTheBodyIsTheOutcome() throws Exception {
		this.server
			.answerBeforeTheBody("HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
		// More than the socket buffers hold, so that writing fails once the service is
		// gone.
		byte[] large = new byte[16 * 1024 * 1024];
		CompletableFuture<Integer> status = this.sender.post(uri("/http"), HEADERS, large, Duration.ofSeconds(5));
		assertThat(status).isCompletedWithValue(413);
		assertThat(this.server.take().body()).isEmpty();
		assertThat(this.server.requests()).isOne();
	}

	@Test
	void anEmptyBodyIsPosted() throws Exception {
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		assertThat(this.sender.post(uri("/http"), HEADERS, new byte[0], Duration.ofSeconds(5)))
			.isCompletedWithValue(200);
		assertThat(this.server.take().text()).endsWith("Content-Length: 0\r\n\r\n");
	}

	@Test
	void aSwitchingProtocolsAnswerFailsThePostAtOnce() throws Exception {
		this.server.answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		long start = System.nanoTime();
		assertThatThrownBy(this.sender.post(uri("/http"), HEADERS, BODY, Duration.ofSeconds(30))::join)
			.hasMessageContaining("unexpected 101 Switching Protocols");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(this.server.take().connection()).isZero();
		assertThat(this.server.take().connection()).isOne();
	}

	@Test
	void closingTheSenderEndsAPostInProgressAndTheLaterOnes() {
		this.server.neverAnswer();
		CompletableFuture.runAsync(() -> {
			this.server.awaitRequest();
			this.sender.close();
		});
		long start = System.nanoTime();
		CompletableFuture<Integer> status = this.sender.post(uri("/http"), HEADERS, BODY, Duration.ofSeconds(30));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(status).isCompletedExceptionally();
		assertThatThrownBy(post("/http")::join).hasMessageContaining("the sender is closed");
		assertThat(this.server.requests()).isOne();
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.server.connections()).isOne());
	}

	@Test
	void aTimeoutTooLongToCountInNanosecondsIsAsGoodAsForever() {
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		SocketHttpSender patient = new SocketHttpSender(Duration.ofDays(365L * 1000));
		try {
			assertThat(patient.post(uri("/http"), HEADERS, BODY, Duration.ofDays(365L * 1000)))
				.isCompletedWithValue(200);
		}
		finally {
			patient.close();
		}
	}

	@Test
	void bytesTheServiceSendsBetweenTwoExchangesAreNeverTakenForTheNextAnswer() throws Exception {
		this.server.answerThenLater("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
				"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
		this.server.answer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(this.server.take().connection()).isZero();
		// The stray answer has been sent on the kept connection by the time it is used.
		assertThat(this.server.awaitStray()).as("stray answer sent").isTrue();
		assertThat(post("/http")).isCompletedWithValue(202);
		assertThat(this.server.take().connection()).isOne();
	}

	@Test
	void bodiesLongerThanOneReadAreReadToTheirEnd() throws Exception {
		String large = "x".repeat(20_000);
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n" + large);
		this.server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nX-Note\r\n\r\n"
				+ Integer.toHexString(large.length()) + "\r\n" + large + "\r\n0\r\n\r\n");
		this.server.answer("HTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n");
		this.server.answer("HTTP/1.1 202 Accepted\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(post("/http")).isCompletedWithValue(200);
		assertThat(post("/http")).isCompletedWithValue(304);
		assertThat(post("/http")).isCompletedWithValue(202);
		for (int i = 0; i < 4; i++) {
			assertThat(this.server.take().connection()).isZero();
		}
	}

	@Test
	void malformedStatusLinesAndChunksFailThePost() throws Exception {
		Map<String, String> answers = new LinkedHashMap<>();
		answers.put("HTTP/1.1 2x0 OK\r\n\r\n", "not an HTTP/1.x response: HTTP/1.1 2x0 OK");
		answers.put("HTTP/1.1 20\r\n\r\n", "not an HTTP/1.x response: HTTP/1.1 20");
		answers.put("HTTP/1.1200 OK\r\n\r\n", "not an HTTP/1.x response: HTTP/1.1200 OK");
		answers.put("HTTP/2.0 200 OK\r\n\r\n", "not an HTTP/1.x response: HTTP/2.0 200 OK");
		answers.put("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length in the response: -1");
		answers.put("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n",
				"invalid chunk size in the response: -5");
		answers.put("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n",
				"chunk not followed by CRLF in the response");
		answers.keySet().forEach(this.server::answer);
		this.server.answer("HTTP/1.1 202\r\nContent-Length: 0\r\n\r\n");
		answers.forEach((answer, message) -> assertThatThrownBy(post("/http")::join).as(answer)
			.hasCauseInstanceOf(IOException.class)
			.hasMessageContaining(message));
		// A status line without a reason phrase is complete.
		assertThat(post("/http")).isCompletedWithValue(202);
		for (int connection = 0; connection <= answers.size(); connection++) {
			assertThat(this.server.take().connection()).isEqualTo(connection);
		}
	}

	@Test
	void aUriWithoutAPathPostsToTheRoot() throws Exception {
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		assertThat(this.sender.post(URI.create("http://127.0.0.1:" + this.server.port()), HEADERS, BODY,
				Duration.ofSeconds(5)))
			.isCompletedWithValue(200);
		assertThat(this.server.take().text()).startsWith("POST / HTTP/1.1\r\n");
	}

	@Test
	void anotherDestinationGetsAConnectionOfItsOwn() throws Exception {
		try (ScriptedServer other = new ScriptedServer()) {
			this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
			other.answer("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
			assertThat(post("/http")).isCompletedWithValue(200);
			assertThat(this.sender.post(URI.create("http://127.0.0.1:" + other.port() + "/http"), HEADERS, BODY,
					Duration.ofSeconds(5)))
				.isCompletedWithValue(202);
			assertThat(this.server.requests()).isOne();
			assertThat(other.take().text()).contains("Host: 127.0.0.1:" + other.port() + "\r\n");
		}
	}

	@Test
	void failedPostsLeaveNoSocketOpen() throws Exception {
		Path descriptors = Path.of("/proc/self/fd");
		assumeThat(descriptors).isDirectory();
		int refusedPort;
		try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			refusedPort = closed.getLocalPort();
		}
		for (int i = 0; i < 100; i++) {
			this.server.answer("garbage\r\n\r\n");
			// Each post is sent twice, to the second close too.
			this.server.closeWithoutAnswer();
			this.server.closeWithoutAnswer();
		}
		post("/http");
		long before = count(descriptors);
		assertThat(post("/http")).isCompletedExceptionally();
		for (int i = 0; i < 99; i++) {
			assertThat(post("/http")).isCompletedExceptionally();
			assertThat(post("/http")).isCompletedExceptionally();
			assertThat(this.sender.post(URI.create("http://127.0.0.1:" + refusedPort + "/http"), HEADERS, BODY,
					Duration.ofSeconds(2)))
				.isCompletedExceptionally();
		}
		// A socket and a selector (an epoll descriptor and its wake-up pipe) per leaked
		// attempt would be hundreds.
		assertThat(count(descriptors) - before).isLessThan(20);
	}

	private static long count(Path directory) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.count();
		}
	}

	@Test
	void waitingForAnAnswerOrForRoomToWriteCostsNoCpu() {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		this.server.neverAnswer();
		this.server.neverReadNorAnswer();
		// Once answered first, so that loading and compiling the sender's code is not
		// counted.
		assertThat(post("/http")).isCompletedWithValue(200);
		long cpu = threads.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		assertThatThrownBy(this.sender.post(uri("/http"), HEADERS, BODY, Duration.ofMillis(500))::join)
			.hasCauseInstanceOf(SocketTimeoutException.class);
		// More than the socket buffers hold: the write waits for room that never comes.
		assertThatThrownBy(
				this.sender.post(uri("/http"), HEADERS, new byte[32 * 1024 * 1024], Duration.ofMillis(500))::join)
			.hasCauseInstanceOf(SocketTimeoutException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		// A loop that polled the socket instead of waiting in the selector would spend
		// most of the second on the CPU.
		assertThat(Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpu)).isLessThan(Duration.ofMillis(300));
	}

	@Test
	void aConnectionTheServiceNeverAcceptsTimesOutAfterTheConnectTimeout() throws Exception {
		List<Socket> queued = new ArrayList<>();
		// A service too busy to accept: once its accept queue is full, the kernel leaves
		// further connections unanswered.
		try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			boolean filled = false;
			while (!filled && queued.size() < 10) {
				Socket socket = new Socket();
				queued.add(socket);
				try {
					socket.connect(full.getLocalSocketAddress(), 100);
				}
				catch (SocketTimeoutException ex) {
					filled = true;
				}
				catch (ConnectException ex) {
					Assumptions.abort("this kernel refuses connections over the accept queue instead");
				}
			}
			Assumptions.assumeTrue(filled, "the accept queue filled up");
			SocketHttpSender patient = new SocketHttpSender(Duration.ofMillis(300));
			try {
				long start = System.nanoTime();
				CompletableFuture<Integer> status = patient.post(
						URI.create("http://127.0.0.1:" + full.getLocalPort() + "/http"), HEADERS, BODY,
						Duration.ofSeconds(30));
				// Waiting for the post's timeout instead would take 30 s.
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290),
						Duration.ofSeconds(5));
				assertThatThrownBy(status::join).hasCauseInstanceOf(java.net.http.HttpConnectTimeoutException.class);
			}
			finally {
				patient.close();
			}
		}
		finally {
			for (Socket socket : queued) {
				socket.close();
			}
		}
	}

	@Test
	void postsOnTheCallingThreadWithoutStartingAnyThread() throws Exception {
		for (int i = 0; i < 31; i++) {
			this.server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		}
		assertThat(post("/http")).isCompletedWithValue(200);
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long started = threads.getTotalStartedThreadCount();
		for (int i = 0; i < 30; i++) {
			assertThat(post("/http")).isCompletedWithValue(200);
		}
		assertThat(threads.getTotalStartedThreadCount() - started).isZero();
	}

	private CompletableFuture<Integer> post(String path) {
		return this.sender.post(uri(path), HEADERS, BODY, Duration.ofSeconds(5));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.server.port() + path);
	}

	private static Map<String, String> headers() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", "Basic c2VjcmV0");
		headers.put("Content-Type", "application/json");
		return headers;
	}

	record Received(int connection, byte[] head, byte[] body) {

		String text() {
			return new String(this.head, StandardCharsets.ISO_8859_1) + new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/**
	 * A server socket that reads each request (head and {@code Content-Length} body) and
	 * answers with the next scripted action, one connection at a time.
	 */
	static final class ScriptedServer implements AutoCloseable {

		private final ServerSocket socket;

		private final BlockingQueue<Action> actions = new LinkedBlockingQueue<>();

		private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

		private final List<Socket> open = new CopyOnWriteArrayList<>();

		// Written after an answer, before the next request is read.
		private final BlockingQueue<byte[]> strays = new LinkedBlockingQueue<>();

		private final Thread thread;

		// Released once per stray written and flushed.
		private final Semaphore straysSent = new Semaphore(0);

		private volatile int requests;

		private volatile int connections;

		ScriptedServer() {
			try {
				this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.thread = new Thread(this::serve, "scripted-http-server");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		int port() {
			return this.socket.getLocalPort();
		}

		void answer(String response) {
			answer(response, false);
		}

		void answer(String response, boolean thenClose) {
			this.actions.add(new Action(response.getBytes(StandardCharsets.ISO_8859_1), thenClose, 0, Mode.AFTER_BODY));
		}

		void answerBeforeTheBody(String response) {
			this.actions.add(new Action(response.getBytes(StandardCharsets.ISO_8859_1), true, 0, Mode.BEFORE_BODY));
		}

		void answerThenLater(String response, String stray) {
			this.actions.add(new Action(response.getBytes(StandardCharsets.ISO_8859_1), false, 0, Mode.AFTER_BODY));
			this.strays.add(stray.getBytes(StandardCharsets.ISO_8859_1));
		}

		void answerLate(String response, CountDownLatch answerNow) {
			this.actions
				.add(new Action(response.getBytes(StandardCharsets.ISO_8859_1), false, 0, Mode.LATE, answerNow));
		}

		void neverReadNorAnswer() {
			this.actions.add(new Action(new byte[0], false, 0, Mode.NEVER_READ));
		}

		void answerAndStream(String head) {
			this.actions.add(new Action(head.getBytes(StandardCharsets.ISO_8859_1), true, 0, Mode.STREAM));
		}

		void answerSlowly(String response, long millisPerByte) {
			this.actions
				.add(new Action(response.getBytes(StandardCharsets.ISO_8859_1), true, millisPerByte, Mode.AFTER_BODY));
		}

		void closeWithoutAnswer() {
			this.actions.add(new Action(new byte[0], true, 0, Mode.AFTER_BODY));
		}

		void neverAnswer() {
			this.actions.add(new Action(new byte[0], false, 0, Mode.STALL));
		}

		Received take() throws InterruptedException {
			Received request = this.received.poll(5, TimeUnit.SECONDS);
			assertThat(request).as("request received").isNotNull();
			return request;
		}

		int requests() {
			return this.requests;
		}

		int connections() {
			return this.connections;
		}

		boolean awaitStray() throws InterruptedException {
			return this.straysSent.tryAcquire(10, TimeUnit.SECONDS);
		}

		void awaitRequest() {
			try {
				take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private void serve() {
			int connection = 0;
			while (!this.socket.isClosed()) {
				try (Socket accepted = this.socket.accept()) {
					this.connections++;
					this.open.add(accepted);
					serve(accepted, connection++);
				}
				catch (IOException | InterruptedException ex) {
					// The next connection, or the end.
				}
			}
		}

		private void serve(Socket accepted, int connection) throws IOException, InterruptedException {
			InputStream in = accepted.getInputStream();
			OutputStream out = new BufferedOutputStream(accepted.getOutputStream());
			while (true) {
				byte[] head = readHead(in);
				if (head == null) {
					return;
				}
				Action action = this.actions.take();
				if (action.mode() == Mode.NEVER_READ) {
					this.requests++;
					this.received.add(new Received(connection, head, new byte[0]));
					while (!accepted.isClosed()) {
						Thread.sleep(20);
					}
					return;
				}
				byte[] body = (action.mode() != Mode.BEFORE_BODY) ? in.readNBytes(contentLength(head)) : new byte[0];
				this.requests++;
				this.received.add(new Received(connection, head, body));
				if (action.mode() == Mode.STALL) {
					in.read();
					return;
				}
				if (action.mode() == Mode.LATE && !action.answerNow().await(10, TimeUnit.SECONDS)) {
					// Never released: no answer at all.
					return;
				}
				for (byte b : action.response()) {
					out.write(b);
					if (action.millisPerByte() > 0) {
						out.flush();
						Thread.sleep(action.millisPerByte());
					}
				}
				out.flush();
				if (action.mode() == Mode.STREAM) {
					byte[] more = new byte[64 * 1024];
					while (true) {
						out.write(more);
						out.flush();
					}
				}
				if (action.thenClose()) {
					return;
				}
				byte[] stray = this.strays.poll();
				if (stray != null) {
					Thread.sleep(50);
					out.write(stray);
					out.flush();
					this.straysSent.release();
				}
			}
		}

		private static byte[] readHead(InputStream in) throws IOException {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			int b;
			while ((b = in.read()) != -1) {
				head.write(b);
				byte[] sofar = head.toByteArray();
				int n = sofar.length;
				if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r'
						&& sofar[n - 1] == '\n') {
					return sofar;
				}
			}
			return null;
		}

		private static int contentLength(byte[] head) {
			for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
				if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
					return Integer.parseInt(line.substring(15).trim());
				}
			}
			return 0;
		}

		@Override
		public void close() {
			try {
				this.socket.close();
				for (Socket socket : this.open) {
					socket.close();
				}
			}
			catch (IOException ex) {
				// Closed already.
			}
		}

		private record Action(byte[] response, boolean thenClose, long millisPerByte, Mode mode,
				CountDownLatch answerNow) {

			Action(byte[] response, boolean thenClose, long millisPerByte, Mode mode) {
				this(response, thenClose, millisPerByte, mode, null);
			}

		}

		private enum Mode {

			/** Reads the request, then answers. */
			AFTER_BODY,
			/** Answers after the request head, closing without reading the body. */
			BEFORE_BODY,
			/** Never answers. */
			STALL,
			/** Reads the request head only and never answers. */
			NEVER_READ,
			/** Answers once the test releases the answer. */
			LATE,
			/** Answers, then sends more without pause until the client goes away. */
			STREAM

		}

	}

}
