package io.heare.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.heare.stats.client.HttpClient;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;
import io.heare.stats.support.OkDispatcher;
import io.heare.stats.webclient.WebClientHttpSender;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application with a web server that sends its metrics to a heare service
 * (a {@link MockWebServer}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "heare.stats.dest-host=127.0.0.1", "heare.stats.secret=s3cret", "heare.stats.prefix=sample" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HeareStatsApplicationTests {

	@StartStop
	static final MockWebServer heareService = new MockWebServer();

	@Autowired
	private StatsClient client;

	@Autowired
	private ConfigurableApplicationContext context;

	@DynamicPropertySource
	static void heareServicePort(DynamicPropertyRegistry registry) {
		heareService.setDispatcher(new OkDispatcher());
		registry.add("heare.stats.dest-port", heareService::getPort);
	}

	@Test
	@Order(1)
	void metricRecordedThroughTheInjectedClientArrives() throws InterruptedException {
		assertThat(this.client).isInstanceOf(HttpClient.class);
		assertThat(this.context.getBean(WebClientHttpSender.class)).isNotNull();
		try (Pipeline pipeline = this.client.pipeline()) {
			pipeline.incr("orders.created", 2).time("orders.latency", 45.5);
		}
		assertThat(this.client.flush()).isTrue();
		RecordedRequest request = heareService.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request.getTarget()).isEqualTo("/http");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic czNjcmV0Og==");
		assertThat(request.getBody().utf8())
			.isEqualTo("{\"counters\":{\"sample.orders.created\":2},\"timers\":{\"sample.orders.latency\":[45.5]}}");
	}

	@Test
	@Order(2)
	void metricsRecordedJustBeforeTheContextClosesArrive() throws InterruptedException {
		// The test framework owns (and caches) the injected context, so this test closes
		// an application of its own, started from the same configuration.
		ConfigurableApplicationContext application = new SpringApplicationBuilder(SampleApplication.class)
			.properties("server.port=0", "heare.stats.dest-host=127.0.0.1", "heare.stats.secret=s3cret",
					"heare.stats.prefix=sample", "heare.stats.dest-port=" + heareService.getPort())
			.run();
		assertThat(((WebServerApplicationContext) application).getWebServer().getPort()).isPositive();
		application.getBean(StatsClient.class).gauge("queue.size", 7);
		application.close();
		List<String> bodies = receivedBodies();
		assertThat(String.join("\n", bodies)).contains("\"sample.queue.size\":7")
			.contains("\"sample.web.server.stopping\":1");
	}

	private static List<String> receivedBodies() throws InterruptedException {
		List<String> bodies = new ArrayList<>();
		RecordedRequest request = heareService.takeRequest(5, TimeUnit.SECONDS);
		while (request != null) {
			bodies.add(request.getBody().utf8());
			request = heareService.takeRequest(500, TimeUnit.MILLISECONDS);
		}
		return bodies;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SampleApplication {

		/**
		 * Records a metric while the web server shuts down gracefully, as the last
		 * requests do.
		 */
		@Bean
		SmartLifecycle webServerStopping(StatsClient client) {
			return new SmartLifecycle() {

				private volatile boolean running;

				@Override
				public void start() {
					this.running = true;
				}

				@Override
				public void stop() {
					client.incr("web.server.stopping");
					this.running = false;
				}

				@Override
				public boolean isRunning() {
					return this.running;
				}

				@Override
				public int getPhase() {
					return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
				}

			};
		}

	}

}
