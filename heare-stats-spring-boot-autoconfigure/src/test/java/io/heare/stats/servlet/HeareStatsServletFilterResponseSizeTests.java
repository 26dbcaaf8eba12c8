package io.heare.stats.servlet;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.heare.stats.testsupport.CapturingStatsClient;
import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareStatsServletFilter} and the response size: a response is asked
 * for its {@code Content-Length} only when the metrics record the size.
 */
class HeareStatsServletFilterResponseSizeTests {

	private final CapturingStatsClient client = new CapturingStatsClient();

	@Test
	void aResponseIsNotAskedForItsSizeWhenTheMetricsRecordNone() throws Exception {
		SizeAskedResponse response = new SizeAskedResponse();
		filter(false).doFilter(new MockHttpServletRequest("GET", "/users/1"), response,
				(req, res) -> res.setContentLength(12));
		assertThat(response.asked).isZero();
		assertThat(this.client.names()).contains("http.server.requests.total")
			.doesNotContain("http.server.response.size");
	}

	@Test
	void theDeclaredContentLengthIsRecordedWhenTheMetricsRecordTheSize() throws Exception {
		SizeAskedResponse response = new SizeAskedResponse();
		filter(true).doFilter(new MockHttpServletRequest("GET", "/users/1"), response,
				(req, res) -> res.setContentLength(12));
		assertThat(response.asked).isOne();
		assertThat(this.client.named("http.server.response.size")).singleElement()
			.satisfies((update) -> assertThat(update.value()).isEqualTo(12d));
	}

	private HeareStatsServletFilter filter(boolean recordsResponseSize) {
		return new HeareStatsServletFilter(new HttpServerMetrics(() -> this.client, "http.server", recordsResponseSize),
				new ExcludedPaths(List.of()));
	}

	/** Counts the times it is asked for its {@code Content-Length}. */
	static class SizeAskedResponse extends MockHttpServletResponse {

		int asked;

		@Override
		public String getHeader(String name) {
			if ("Content-Length".equalsIgnoreCase(name)) {
				this.asked++;
			}
			return super.getHeader(name);
		}

	}

}
