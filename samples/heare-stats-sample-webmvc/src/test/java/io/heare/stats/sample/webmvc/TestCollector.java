package io.heare.stats.sample.webmvc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.heare.stats.client.StatsClient;

import io.heare.stats.collector.HeareStatsCollectorApplication;
import io.heare.stats.collector.StatsdServers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.awaitility.Awaitility;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real heare collector, started once in this JVM for all end-to-end tests and read over
 * HTTP the way an operator would ({@code GET /api/metrics}).
 */
final class TestCollector {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** The collector's Basic credentials: its secret as the user name, no password. */
	private static final String CREDENTIALS = "Basic "
			+ Base64.getEncoder().encodeToString("dev-secret:".getBytes(StandardCharsets.UTF_8));

	private static TestCollector shared;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int httpPort;

	private final int statsdPort;

	private TestCollector(ConfigurableApplicationContext context) {
		this.httpPort = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
		this.statsdPort = context.getBean(StatsdServers.class).udpPort();
	}

	/**
	 * Returns the collector, starting it on first use. It stops with the JVM.
	 */
	static synchronized TestCollector shared() {
		if (shared == null) {
			// Command-line arguments, so that they beat the sample's application.yml,
			// which is on this classpath too. The collector is a WebFlux app; Spring MVC
			// is also present here, so say so. Its own heare stats client stays off.
			ConfigurableApplicationContext context = new SpringApplicationBuilder(HeareStatsCollectorApplication.class)
				.web(WebApplicationType.REACTIVE)
				.run("--server.port=0", "--collector.statsd-port=0", "--collector.secret=dev-secret",
						"--heare.stats.enabled=false", "--spring.application.name=heare-stats-collector");
			shared = new TestCollector(context);
		}
		return shared;
	}

	int httpPort() {
		return this.httpPort;
	}

	int statsdPort() {
		return this.statsdPort;
	}

	/** Clears every metric and total. */
	void reset() {
		send(HttpRequest.newBuilder(uri("/api/reset"))
			.header("Authorization", CREDENTIALS)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	/** What the collector holds now. */
	Metrics metrics() {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/metrics")).GET().build());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET /api/metrics answered " + response.statusCode());
		}
		return new Metrics(MAPPER.readTree(response.body()));
	}

	/**
	 * Flushes {@code client} until the collector's counter {@code name} reaches
	 * {@code expected}: the request filter records after the response is written, so the
	 * last request's metrics may still be on their way when the test has its answer.
	 */
	Metrics awaitCounter(StatsClient client, String name, long expected) {
		Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			client.flush();
			assertThat(metrics().counter(name)).as(name).isEqualTo(expected);
		});
		return metrics();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A view of {@code GET /api/metrics}; metrics the collector has not seen read as
	 * zero.
	 */
	record Metrics(JsonNode json) {

		long counter(String name) {
			JsonNode value = this.json.path("counters").get(name);
			return (value != null) ? value.asLong() : 0;
		}

		double gauge(String name) {
			JsonNode value = this.json.path("gauges").get(name);
			return (value != null) ? value.asDouble() : Double.NaN;
		}

		long timerCount(String name) {
			return count("timers", name);
		}

		long histogramCount(String name) {
			return count("histograms", name);
		}

		long total(String name) {
			JsonNode value = this.json.path("totals").get(name);
			return (value != null) ? value.asLong() : 0;
		}

		/** Names of every counter, gauge, timer and histogram. */
		List<String> names() {
			List<String> names = new ArrayList<>();
			for (String kind : new String[] { "counters", "gauges", "timers", "histograms" }) {
				names.addAll(this.json.path(kind).propertyNames());
			}
			return names;
		}

		private long count(String kind, String name) {
			JsonNode value = this.json.path(kind).get(name);
			return (value != null) ? value.path("count").asLong() : 0;
		}

	}

}
