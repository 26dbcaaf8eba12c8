package io.heare.stats.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import io.heare.stats.testsupport.CapturingStatsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link HeareStatsServletFilter} on an embedded Tomcat.
 */
@SpringBootTest(classes = HeareStatsServletFilterIntegrationTests.MvcApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class HeareStatsServletFilterIntegrationTests {

	private static final String B = "http.server.";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private CapturingStatsClient client;

	@BeforeEach
	void clear() {
		this.client.clear();
	}

	@Test
	void successIsRecordedUnderTheRouteTemplate() throws Exception {
		assertThat(get("/users/42").statusCode()).isEqualTo(200);
		assertThat(awaitExchange()).containsExactlyInAnyOrder(B + "requests.total", B + "requests.method.GET",
				B + "requests.status.200", B + "requests.success", B + "response.time", B + "response.size",
				B + "route.GET.users_id.time");
		assertThat(this.client.named(B + "response.size").get(0).value()).isEqualTo(7d);
	}

	@Test
	void pathVariablesCollapseToOneRoute() throws Exception {
		get("/users/1");
		get("/users/2");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.named(B + "requests.total").size() == 2);
		assertThat(this.client.named(B + "route.GET.users_id.time")).hasSize(2);
		assertThat(this.client.names()).noneMatch((name) -> name.contains("users_1") || name.contains("users_2"));
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
		assertThat(awaitExchange()).containsExactlyInAnyOrder(B + "requests.total", B + "requests.method.GET",
				B + "requests.status.500", B + "requests.error", B + "requests.error.IllegalStateException",
				B + "response.time", B + "route.GET.boom.time");
	}

	@Test
	void handledExceptionIsRecordedWithItsName() throws Exception {
		assertThat(get("/bad").statusCode()).isEqualTo(400);
		assertThat(awaitExchange()).contains(B + "requests.status.400", B + "requests.error",
				B + "requests.error.IllegalArgumentException", B + "route.GET.bad.time")
			.doesNotContain(B + "requests.success");
	}

	@Test
	void deferredResultIsMeasuredToCompletion() throws Exception {
		assertThat(get("/deferred").body()).isEqualTo("deferred");
		assertThat(awaitExchange()).contains(B + "requests.status.200", B + "requests.success",
				B + "route.GET.deferred.time");
		assertThat(this.client.named(B + "requests.total")).hasSize(1);
		assertThat(this.client.named(B + "response.time").get(0).value()).isGreaterThanOrEqualTo(200d);
	}

	@Test
	void callableIsMeasuredToCompletion() throws Exception {
		assertThat(get("/callable").body()).isEqualTo("callable");
		awaitExchange();
		assertThat(this.client.named(B + "requests.total")).hasSize(1);
		assertThat(this.client.named(B + "route.GET.callable.time").get(0).value()).isGreaterThanOrEqualTo(200d);
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
	static class MvcApplication {

		@Bean
		CapturingStatsClient statsClient() {
			return new CapturingStatsClient();
		}

		@Bean
		MvcController controller() {
			return new MvcController();
		}

	}

	@RestController
	static class MvcController {

		@GetMapping("/users/{id}")
		String user(@PathVariable String id) {
			return "user-" + id;
		}

		@GetMapping("/boom")
		String boom() {
			throw new IllegalStateException("boom");
		}

		@GetMapping("/bad")
		String bad() {
			throw new IllegalArgumentException("bad");
		}

		@GetMapping("/deferred")
		DeferredResult<String> deferred() {
			DeferredResult<String> result = new DeferredResult<>();
			CompletableFuture.runAsync(() -> result.setResult("deferred"),
					CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
			return result;
		}

		@GetMapping("/callable")
		Callable<String> callable() {
			return () -> {
				Thread.sleep(200);
				return "callable";
			};
		}

		@GetMapping("/actuator/info")
		String info() {
			return "{}";
		}

		@ExceptionHandler(IllegalArgumentException.class)
		ResponseEntity<String> handle(IllegalArgumentException ex) {
			return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(ex.getMessage());
		}

	}

}
