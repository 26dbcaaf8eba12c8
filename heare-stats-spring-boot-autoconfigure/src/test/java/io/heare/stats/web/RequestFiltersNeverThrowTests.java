package io.heare.stats.web;

import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.server.MockServerWebExchange;

import io.heare.stats.servlet.HeareStatsServletFilter;
import io.heare.stats.testsupport.CapturingStatsClient;
import io.heare.stats.webflux.HeareStatsWebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the request filters never fail a request because of the metrics, whatever
 * its headers or path.
 */
class RequestFiltersNeverThrowTests {

	private final CapturingStatsClient client = new CapturingStatsClient();

	private final HttpServerMetrics metrics = new HttpServerMetrics(() -> this.client, "http.server", true);

	private final ExcludedPaths excluded = new ExcludedPaths(List.of("/actuator/**"));

	@Test
	void aServletRequestWhosePathCannotBeReadStillGoesThrough() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/users/1") {
			@Override
			public String getRequestURI() {
				throw new IllegalStateException("a broken request wrapper");
			}
		};
		MockFilterChain chain = new MockFilterChain();
		new HeareStatsServletFilter(this.metrics, this.excluded).doFilter(request, new MockHttpServletResponse(),
				chain);
		assertThat(chain.getRequest()).isSameAs(request);
	}

	@Test
	void aServletResponseWithAMalformedContentLengthStillGoesThroughAndIsCounted() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse() {
			@Override
			public String getHeader(String name) {
				return "Content-Length".equalsIgnoreCase(name) ? "twelve" : super.getHeader(name);
			}

			@Override
			public int getStatus() {
				throw new IllegalStateException("a broken response wrapper");
			}
		};
		MockFilterChain chain = new MockFilterChain();
		new HeareStatsServletFilter(this.metrics, this.excluded).doFilter(new MockHttpServletRequest("GET", "/users/1"),
				response, chain);
		assertThat(chain.getResponse()).isSameAs(response);
	}

	@Test
	void aWebFluxResponseWithAMalformedContentLengthCompletesAndIsCounted() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/users/1"));
		HeareStatsWebFilter filter = new HeareStatsWebFilter(this.metrics, this.excluded, 0);
		Mono<Void> filtered = filter.filter(exchange, (served) -> {
			served.getResponse().setStatusCode(HttpStatus.OK);
			served.getResponse().getHeaders().set(HttpHeaders.CONTENT_LENGTH, "twelve");
			return Mono.empty();
		});
		StepVerifier.create(filtered).verifyComplete();
		assertThat(this.client.names()).contains("http.server.requests.status.200")
			.doesNotContain("http.server.response.size");
	}

	@Test
	void anAbandonedWebFluxExchangeIsCountedAsCancelledOnly() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/users/1"));
		exchange.getResponse().setStatusCode(HttpStatus.OK);
		HeareStatsWebFilter filter = new HeareStatsWebFilter(this.metrics, this.excluded, 0);
		StepVerifier.create(filter.filter(exchange, (served) -> Mono.never())).thenCancel().verify();
		assertThat(this.client.names()).contains("http.server.requests.cancelled")
			.doesNotContain("http.server.requests.status.200", "http.server.requests.success");
	}

}
