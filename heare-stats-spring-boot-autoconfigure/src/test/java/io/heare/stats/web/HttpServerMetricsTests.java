package io.heare.stats.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.heare.stats.testsupport.CapturingStatsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpServerMetrics}.
 */
class HttpServerMetricsTests {

	private final CapturingStatsClient client = new CapturingStatsClient();

	private final HttpServerMetrics metrics = new HttpServerMetrics(() -> this.client, "http.server");

	@Test
	void routeNameJoinsSegmentsWithUnderscoresAndDropsVariableBraces() {
		assertThat(HttpServerMetrics.routeName("/users/{id}")).isEqualTo("users_id");
		assertThat(HttpServerMetrics.routeName("/users/{id}/orders/")).isEqualTo("users_id_orders");
		assertThat(HttpServerMetrics.routeName("/files/{id:\\d{3}}")).isEqualTo("files_id");
		assertThat(HttpServerMetrics.routeName("/static/{*path}")).isEqualTo("static_path");
		assertThat(HttpServerMetrics.routeName("/docs/**")).isEqualTo("docs_all");
		assertThat(HttpServerMetrics.routeName("/a/*/b")).isEqualTo("a_any_b");
		assertThat(HttpServerMetrics.routeName("/api/v1.0/x y")).isEqualTo("api_v1_0_x_y");
		assertThat(HttpServerMetrics.routeName("/")).isEqualTo("root");
		assertThat(HttpServerMetrics.routeName("")).isEqualTo("root");
	}

	@Test
	void recordsOneExchangeInOnePipeline() {
		this.metrics.record("GET", 200, "/users/{id}", null, false, 5_000_000, 12);
		assertThat(this.client.pipelines()).hasSize(1);
		assertThat(this.client.names()).containsExactly("http.server.requests.total",
				"http.server.requests.method.GET", "http.server.requests.status.200", "http.server.requests.success",
				"http.server.response.time", "http.server.response.size", "http.server.route.GET.users_id.time");
		assertThat(this.client.named("http.server.response.time").get(0).value()).isEqualTo(5d);
		assertThat(this.client.named("http.server.response.size").get(0).value()).isEqualTo(12d);
	}

	@Test
	void anAbandonedExchangeCountsAsCancelledOnly() {
		this.metrics.record("GET", 200, "/users/{id}", null, true, 5_000_000, 12);
		assertThat(this.client.names()).containsExactly("http.server.requests.total",
				"http.server.requests.method.GET", "http.server.requests.cancelled");
	}

	@Test
	void unknownMethodsBecomeOther() {
		this.metrics.record("BREW", 405, null, null, false, 1, -1);
		assertThat(this.client.names()).contains("http.server.requests.method.OTHER",
				"http.server.route.OTHER.UNKNOWN.time");
	}

	@Test
	void notFoundWithoutRouteIsNotAnError() {
		this.metrics.record("GET", 404, null, new IllegalStateException(), false, 1, -1);
		assertThat(this.client.names()).contains("http.server.requests.success", "http.server.route.GET.NOT_FOUND.time")
			.doesNotContain("http.server.requests.error");
	}

	@Test
	void redirectWithoutRouteUsesRedirectionBucket() {
		this.metrics.record("GET", 302, null, null, false, 1, -1);
		assertThat(this.client.names()).contains("http.server.route.GET.REDIRECTION.time");
	}

	@Test
	void serverErrorWithoutExceptionCountsAnError() {
		this.metrics.record("POST", 503, "/jobs", null, false, 1, -1);
		assertThat(this.client.names()).contains("http.server.requests.error")
			.noneMatch((name) -> name.startsWith("http.server.requests.error."));
	}

	@Test
	void customBaseNameIsUsed() {
		new HttpServerMetrics(() -> this.client, "web").record("GET", 200, "/", null, false, 1, -1);
		assertThat(this.client.names()).contains("web.requests.total", "web.route.GET.root.time");
	}

	@Test
	void excludedPathsMatchPatternsAndTheirRoot() {
		ExcludedPaths paths = new ExcludedPaths(List.of("/actuator/**", " "));
		assertThat(paths.matches("/actuator")).isTrue();
		assertThat(paths.matches("/actuator/health")).isTrue();
		assertThat(paths.matches("/actuators")).isFalse();
		assertThat(paths.matches("/users/1")).isFalse();
		assertThat(new ExcludedPaths(List.of()).isEmpty()).isTrue();
	}

}
