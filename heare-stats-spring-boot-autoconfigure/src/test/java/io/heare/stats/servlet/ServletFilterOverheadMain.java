package io.heare.stats.servlet;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

import io.heare.stats.client.HttpClient;
import io.heare.stats.client.StatsClient;
import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;

/**
 * Rough measurement (not a JMH benchmark, not a test) of what {@link HeareStatsServletFilter}
 * adds to one request: the mock filter chain is run in a tight loop with and without the
 * filter and the difference per request is printed. Run the main method from the test
 * classpath; see the README for the command.
 */
final class ServletFilterOverheadMain {

	private static final int ITERATIONS = 1_000_000;

	private static final int ROUNDS = 7;

	private static volatile Object sink;

	private ServletFilterOverheadMain() {
	}

	public static void main(String[] args) throws Exception {
		HttpServlet servlet = new HttpServlet() {

			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) {
				request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/users/{id}");
				response.setStatus(200);
				response.setContentLength(42);
			}

		};
		ExcludedPaths excluded = new ExcludedPaths(List.of("/actuator/**"));
		Filter noop = filter(StatsClient::noop, excluded);
		// A real client: aggregates in memory; its sender posts to a closed loopback port.
		try (HttpClient real = HttpClient.builder("127.0.0.1", 9).scheme("http").secret("bench").linger(Duration.ofMillis(100)).build()) {
			Filter withReal = filter(() -> real, excluded);
			System.out.printf("iterations per round: %,d, rounds: %d (median reported)%n", ITERATIONS, ROUNDS);
			double base = measure("no filter (mock request + chain only)", servlet, null, "/users/42");
			double noopNs = measure("filter, StatsClient.noop()", servlet, noop, "/users/42");
			double realNs = measure("filter, real HttpClient (aggregating)", servlet, withReal, "/users/42");
			double excludedNs = measure("filter, excluded path /actuator/health", servlet, withReal,
					"/actuator/health");
			System.out.printf("added per request: noop client %.0f ns, real client %.0f ns, excluded path %.0f ns%n",
					noopNs - base, realNs - base, excludedNs - base);
		}
	}

	private static Filter filter(Supplier<StatsClient> client, ExcludedPaths excluded) {
		return new HeareStatsServletFilter(new HttpServerMetrics(client, "http.server"), excluded);
	}

	private static double measure(String label, HttpServlet servlet, Filter filter, String path)
			throws IOException, ServletException {
		double[] results = new double[ROUNDS];
		run(servlet, filter, path, ITERATIONS); // warm-up
		for (int round = 0; round < ROUNDS; round++) {
			long start = System.nanoTime();
			run(servlet, filter, path, ITERATIONS);
			results[round] = (System.nanoTime() - start) / (double) ITERATIONS;
		}
		Arrays.sort(results);
		double median = results[ROUNDS / 2];
		System.out.printf("%-45s %8.0f ns/op (min %.0f, max %.0f)%n", label, median, results[0],
				results[ROUNDS - 1]);
		return median;
	}

	private static void run(HttpServlet servlet, Filter filter, String path, int iterations)
			throws IOException, ServletException {
		for (int i = 0; i < iterations; i++) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
			MockHttpServletResponse response = new MockHttpServletResponse();
			MockFilterChain chain = (filter != null) ? new MockFilterChain(servlet, filter)
					: new MockFilterChain(servlet);
			chain.doFilter(request, response);
			sink = response;
		}
	}

}
