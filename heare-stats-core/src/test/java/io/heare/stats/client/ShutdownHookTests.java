package io.heare.stats.client;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.heare.stats.client.MockWebServers.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A program that ends without closing its client: a real child JVM records, returns from
 * {@code main}, and the metrics service is checked for what arrived.
 */
class ShutdownHookTests {

	@StartStop
	final MockWebServer server = new MockWebServer();

	@BeforeEach
	void acceptEverything() {
		QueueDispatcher dispatcher = new QueueDispatcher();
		dispatcher.setFailFast(new MockResponse.Builder().code(200).build());
		this.server.setDispatcher(dispatcher);
	}

	@Test
	void metricsPendingWhenTheJvmExitsAreSentByTheShutdownHook() throws Exception {
		assertThat(runChild(true)).isZero();
		assertThat(body(take())).isEqualTo("{\"counters\":{\"first\":1}}");
		assertThat(body(take())).isEqualTo("{\"counters\":{\"last\":1}}");
	}

	@Test
	void withoutTheHookTheLastMetricsAreLostAtExit() throws Exception {
		assertThat(runChild(false)).isZero();
		assertThat(body(take())).isEqualTo("{\"counters\":{\"first\":1}}");
		assertThat(this.server.takeRequest(500, TimeUnit.MILLISECONDS)).isNull();
	}

	private int runChild(boolean hook) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				ExitWithoutClose.class.getName(), String.valueOf(this.server.getPort()), String.valueOf(hook))
			.redirectErrorStream(true)
			.redirectOutput(File.createTempFile("child", ".log"))
			.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child exited").isTrue();
		return process.exitValue();
	}

	private RecordedRequest take() throws InterruptedException {
		return MockWebServers.take(this.server);
	}

	/**
	 * The child: sends one counter, records another that a one-minute linger holds back,
	 * and returns from {@code main} without closing the client.
	 */
	public static final class ExitWithoutClose {

		public static void main(String[] args) {
			StatsClient client = StatsClient.create(StatsClientConfig.builder()
				.protocol(Protocol.HTTP)
				.destHost("127.0.0.1")
				.destPort(Integer.parseInt(args[0]))
				.secret("s3cret")
				.set(StatsClientConfig.LINGER, Duration.ofMinutes(1))
				.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, Boolean.parseBoolean(args[1]))
				.build());
			client.incr("first");
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> client.telemetry().requests() > 0);
			client.incr("last");
			System.out.println("leaving main without closing " + client);
		}

	}

}
