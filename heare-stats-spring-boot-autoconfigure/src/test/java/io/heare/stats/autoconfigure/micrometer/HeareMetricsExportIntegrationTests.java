package io.heare.stats.autoconfigure.micrometer;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.heare.stats.client.StatsClient;
import io.heare.stats.micrometer.HeareMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with Actuator, Spring MVC and a {@code @Scheduled} task, whose
 * Micrometer meters reach a StatsD receiver on a real loopback UDP socket under their
 * heare names.
 */
@SpringBootTest(classes = HeareMetricsExportIntegrationTests.MetricsApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "heare.stats.protocol=udp", "heare.stats.dest-host=127.0.0.1", "heare.stats.prefix=it",
				"management.heare.metrics.export.enabled=true", "management.heare.metrics.export.step=200ms" })
class HeareMetricsExportIntegrationTests {

	private static final Receiver receiver = new Receiver();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void destination(DynamicPropertyRegistry properties) {
		properties.add("heare.stats.dest-port", receiver::port);
	}

	@AfterAll
	static void closeReceiver() {
		receiver.close();
	}

	@Test
	void jvmMemoryUsedArrivesAsAGaugePerPool() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(receiver.lines())
				.anyMatch((line) -> line.startsWith("it.jvm.memory.used.area.heap.id.") && line.endsWith("|g")));
	}

	@Test
	void httpServerRequestsArrivesAsATimerPerRoute() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hello")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(receiver.lines()).anyMatch((line) -> line.startsWith(
					"it.http.server.requests.error.none.exception.none.method.GET.outcome.SUCCESS.status.200.uri._hello:")
					&& line.endsWith("|ms")));
	}

	@Test
	void scheduledTasksArriveAsATimer() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(receiver.lines()).anyMatch((line) -> line.startsWith(
					"it.tasks.scheduled.execution.code_function.tick.code_namespace.io_heare_stats_autoconfigure_micrometer_HeareMetricsExportIntegrationTests_Ticker.error.none.exception.none.outcome.SUCCESS:")
					&& line.endsWith("|ms")));
	}

	@Test
	void theAutoConfiguredTaskExecutorsPoolArrivesAsGauges() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(receiver.lines())
				.anyMatch((line) -> line.startsWith("it.executor.pool.size.name.applicationTaskExecutor:")
						&& line.endsWith("|g")));
	}

	// Tomcat's session meters need no MBean registry, unlike its thread meters.
	@Test
	void tomcatSessionsArriveAsGauges() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(receiver.lines())
				.anyMatch((line) -> line.startsWith("it.tomcat.sessions.active.current:") && line.endsWith("|g")));
	}

	@Test
	void everyMeterGoesThroughTheOneApplicationClient() {
		assertThat(this.context.getBeansOfType(StatsClient.class)).hasSize(1);
		assertThat(this.context.getBean(HeareMeterRegistry.class).getMeters()).isNotEmpty();
		await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.lines().isEmpty());
		assertThat(receiver.lines()).allMatch((line) -> line.startsWith("it."));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableScheduling
	@Import({ HelloController.class, Ticker.class })
	static class MetricsApplication {

	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

	static class Ticker {

		@Scheduled(fixedDelay = 100)
		void tick() {
		}

	}

	/** StatsD lines arriving on a loopback UDP socket, read by a daemon thread. */
	static final class Receiver {

		private final DatagramSocket socket;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		Receiver() {
			try {
				this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			}
			catch (SocketException ex) {
				throw new IllegalStateException(ex);
			}
			Thread reader = new Thread(this::read, "statsd-receiver");
			reader.setDaemon(true);
			reader.start();
		}

		private void read() {
			byte[] buffer = new byte[65_536];
			while (!this.socket.isClosed()) {
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				try {
					this.socket.receive(packet);
				}
				catch (IOException ex) {
					return;
				}
				String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
				this.lines.addAll(Arrays.asList(datagram.split("\n")));
			}
		}

		int port() {
			return this.socket.getLocalPort();
		}

		List<String> lines() {
			return List.copyOf(this.lines);
		}

		void close() {
			this.socket.close();
		}

	}

}
