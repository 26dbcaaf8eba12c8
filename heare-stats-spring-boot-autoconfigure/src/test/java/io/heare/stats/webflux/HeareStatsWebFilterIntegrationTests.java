package io.heare.stats.webflux;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
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
import io.heare.stats.testsupport.AbstractHttpServerMetricsIntegrationTests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link HeareStatsWebFilter} on an embedded Netty.
 */
@SpringBootTest(classes = HeareStatsWebFilterIntegrationTests.WebFluxApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
class HeareStatsWebFilterIntegrationTests extends AbstractHttpServerMetricsIntegrationTests {

	@Autowired
	private WebServerApplicationContext context;

	@Test
	void runsOnNetty() {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).isEqualTo("NettyWebServer");
	}

	@Test
	void delayedMonoIsMeasuredToCompletion() throws Exception {
		assertThat(get("/slow").body()).isEqualTo("slow");
		awaitExchange();
		assertThat(this.client.named(B + "response.time").get(0).value()).isGreaterThanOrEqualTo(200d);
		assertThat(this.client.names()).contains(B + "route.GET.slow.time");
	}

	@Test
	void unhandledExceptionIsRecordedAsServerError() throws Exception {
		assertThat(get("/boom").statusCode()).isEqualTo(500);
		assertThat(awaitExchange())
			.contains(B + "requests.total", B + "requests.status.500", B + "requests.error",
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
