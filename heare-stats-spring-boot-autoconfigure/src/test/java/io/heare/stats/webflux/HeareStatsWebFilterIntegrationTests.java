package io.heare.stats.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.heare.stats.testsupport.CapturingStatsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link HeareStatsWebFilter} on an embedded Netty.
 */
@SpringBootTest(classes = HeareStatsWebFilterIntegrationTests.WebFluxApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
class HeareStatsWebFilterIntegrationTests {

	private static final String B = "http.server.";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private CapturingStatsClient client;

	@Autowired
	private WebServerApplicationContext context;

	@BeforeEach
	void clear() {
		this.client.clear();
	}

	@Test
	void runsOnNetty() {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).isEqualTo("NettyWebServer");
	}

	@Test
	void monoSuccessIsRecordedUnderTheRouteTemplate() throws Exception {
		assertThat(get("/users/42").statusCode()).isEqualTo(200);
		assertThat(awaitExchange()).containsExactlyInAnyOrder(B + "requests.total", B + "requests.method.GET",
				B + "requests.status.200", B + "requests.success", B + "response.time", B + "response.size",
				B + "route.GET.users_id.time");
		assertThat(this.client.named(B + "response.size").get(0).value()).isEqualTo(7d);
	}

	@Test
	void delayedMonoIsMeasuredToCompletion() throws Exception {
		assertThat(get("/slow").body()).isEqualTo("slow");
		awaitExchange();
		assertThat(this.client.named(B + "response.time").get(0).value()).isGreaterThanOrEqualTo(200d);
		assertThat(this.client.names()).contains(B + "route.GET.slow.time");
	}

	@Test
	void unmatchedPathIsRecordedInTheNotFoundBucket() throws Exception {
		assertThat(get("/missing/path").statusCode()).isEqualTo(404);
		assertThat(awaitExchange()).contains(B + "requests.status.404", B + "requests.success",
				B + "route.GET.NOT_FOUND.time")
			.noneMatch((name) -> name.contains("missing") || name.startsWith(B + "requests.error"));
	}

	@Test
	void unhandledExceptionIsRecordedAsServerError() throws Exception {
		assertThat(get("/boom").statusCode()).isEqualTo(500);
		assertThat(awaitExchange()).contains(B + "requests.total", B + "requests.status.500", B + "requests.error",
				B + "requests.error.IllegalStateException", B + "route.GET.boom.time")
			.doesNotContain(B + "requests.success");
	}

	@Test
	void handledExceptionExposedThroughTheAttributeIsRecorded() throws Exception {
		assertThat(get("/bad").statusCode()).isEqualTo(400);
		assertThat(awaitExchange()).contains(B + "requests.status.400", B + "requests.error",
				B + "requests.error.IllegalArgumentException", B + "route.GET.bad.time");
	}

	@Test
	void handledExceptionSetOnTheObservationContextAsSpringDocumentsIsRecorded() throws Exception {
		assertThat(get("/conflict").statusCode()).isEqualTo(409);
		assertThat(awaitExchange()).contains(B + "requests.status.409", B + "requests.error",
				B + "requests.error.UnsupportedOperationException", B + "route.GET.conflict.time");
	}

	@Test
	void excludedPathIsNotRecorded() throws Exception {
		assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
		get("/users/1");
		awaitExchange();
		assertThat(this.client.names()).noneMatch((name) -> name.contains("actuator"));
		assertThat(this.client.named(B + "requests.total")).hasSize(1);
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private List<String> awaitExchange() {
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.client.named(B + "requests.total").isEmpty());
		assertThat(this.client.pipelines()).hasSize(1);
		return this.client.names();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebFluxApplication {

		@Bean
		CapturingStatsClient statsClient() {
			return new CapturingStatsClient();
		}

		@Bean
		FluxController controller() {
			return new FluxController();
		}

	}

	@RestController
	static class FluxController {

		@GetMapping("/users/{id}")
		Mono<String> user(@PathVariable String id) {
			return Mono.just("user-" + id);
		}

		@GetMapping("/slow")
		Mono<String> slow() {
			return Mono.just("slow").delayElement(Duration.ofMillis(200));
		}

		@GetMapping("/boom")
		Mono<String> boom() {
			return Mono.error(new IllegalStateException("boom"));
		}

		@GetMapping("/bad")
		Mono<String> bad() {
			return Mono.error(new IllegalArgumentException("bad"));
		}

		@GetMapping("/conflict")
		Mono<String> conflict() {
			return Mono.error(new UnsupportedOperationException("conflict"));
		}

		@GetMapping("/actuator/info")
		Mono<String> info() {
			return Mono.just("{}");
		}

		@ExceptionHandler(IllegalArgumentException.class)
		ResponseEntity<String> handle(IllegalArgumentException ex, ServerWebExchange exchange) {
			exchange.getAttributes().put(HeareStatsWebFilter.EXCEPTION_ATTRIBUTE, ex);
			return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(ex.getMessage());
		}

		@ExceptionHandler(UnsupportedOperationException.class)
		ResponseEntity<String> handle(UnsupportedOperationException ex, ServerWebExchange exchange) {
			ServerRequestObservationContext.findCurrent(exchange.getAttributes())
				.ifPresent((context) -> context.setError(ex));
			return ResponseEntity.status(HttpStatus.CONFLICT).body(ex.getMessage());
		}

	}

}
