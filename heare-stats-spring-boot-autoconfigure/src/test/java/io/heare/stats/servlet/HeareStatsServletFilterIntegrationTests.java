package io.heare.stats.servlet;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
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
import io.heare.stats.testsupport.AbstractHttpServerMetricsIntegrationTests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link HeareStatsServletFilter} on an embedded Tomcat.
 */
@SpringBootTest(classes = HeareStatsServletFilterIntegrationTests.MvcApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class HeareStatsServletFilterIntegrationTests extends AbstractHttpServerMetricsIntegrationTests {

	@Test
	void pathVariablesCollapseToOneRoute() throws Exception {
		get("/users/1");
		get("/users/2");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.named(B + "requests.total").size() == 2);
		assertThat(this.client.named(B + "route.GET.users_id.time")).hasSize(2);
		assertThat(this.client.names()).noneMatch((name) -> name.contains("users_1") || name.contains("users_2"));
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
		assertThat(awaitExchange())
			.contains(B + "requests.status.400", B + "requests.error", B + "requests.error.IllegalArgumentException",
					B + "route.GET.bad.time")
			.doesNotContain(B + "requests.success");
	}

	@Test
	void exceptionAHandlerAnsweredWithSuccessIsStillAnError() throws Exception {
		assertThat(get("/fallback").statusCode()).isEqualTo(200);
		assertThat(awaitExchange())
			.contains(B + "requests.status.200", B + "requests.error",
					B + "requests.error.UnsupportedOperationException")
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

		@GetMapping("/fallback")
		String fallback() {
			throw new UnsupportedOperationException("not yet");
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

		@ExceptionHandler(UnsupportedOperationException.class)
		String fallBack(UnsupportedOperationException ex) {
			return "fallback";
		}

	}

}
