package io.heare.stats.web;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import io.heare.stats.client.Timer;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.testsupport.CapturingStatsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpServerMetrics}.
 */
class HttpServerMetricsTests {

	private final CapturingStatsClient client = new CapturingStatsClient();

	private final HttpServerMetrics metrics = new HttpServerMetrics(() -> this.client, "http.server", true);

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
	void recordsOneExchangeStraightIntoTheClient() {
		this.metrics.record("GET", 200, "/users/{id}", null, false, 5_000_000, 12);
		assertThat(this.client.pipelines()).isEmpty();
		assertThat(this.client.names()).containsExactlyInAnyOrder("http.server.requests.total",
				"http.server.requests.method.GET", "http.server.requests.status.200", "http.server.requests.success",
				"http.server.response.time", "http.server.response.size", "http.server.route.GET.users_id.time");
		assertThat(this.client.named("http.server.response.time").get(0).value()).isEqualTo(5d);
		assertThat(this.client.named("http.server.response.size").get(0).value()).isEqualTo(12d);
	}

	@Test
	void theResponseSizeIsRecordedOnlyWhenAskedFor() {
		HttpServerMetrics metrics = new HttpServerMetrics(() -> this.client, "http.server");
		assertThat(metrics.recordsResponseSize()).isFalse();
		assertThat(this.metrics.recordsResponseSize()).isTrue();
		metrics.record("GET", 200, "/users/{id}", null, false, 5_000_000, 12);
		assertThat(this.client.names()).contains("http.server.route.GET.users_id.time")
			.doesNotContain("http.server.response.size");
	}

	@Test
	void everyStatusOfARouteIsCountedAndTheFirstGroupsAreKept() {
		AtomicInteger groupsBound = new AtomicInteger();
		CountingStatsClient counting = new CountingStatsClient() {

			@Override
			public Timer timer(Collection<String> timerNames, Collection<String> counterNames) {
				groupsBound.incrementAndGet();
				return super.timer(timerNames, counterNames);
			}

		};
		HttpServerMetrics metrics = new HttpServerMetrics(() -> counting, "http.server");
		int statuses = HttpServerMetrics.MAX_GROUPS_PER_ROUTE + 8;
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < statuses; i++) {
				metrics.record("GET", 200 + i, "/users/{id}", null, false, 1_000_000, -1);
			}
		}
		for (int i = 0; i < statuses; i++) {
			assertThat(counting.count("http.server.requests.status." + (200 + i))).as("status %d", 200 + i)
				.isEqualTo(3);
		}
		assertThat(counting.count("http.server.requests.total")).isEqualTo(3L * statuses);
		assertThat(counting.count("http.server.route.GET.users_id.time")).isEqualTo(3L * statuses);
		// The first groups are bound once; past them, one per exchange.
		assertThat(groupsBound).hasValue(HttpServerMetrics.MAX_GROUPS_PER_ROUTE + 3 * 8);
	}

	@Test
	void anAbandonedExchangeCountsAsCancelledOnly() {
		this.metrics.record("GET", 200, "/users/{id}", null, true, 5_000_000, 12);
		assertThat(this.client.names()).containsExactly("http.server.requests.total", "http.server.requests.method.GET",
				"http.server.requests.cancelled");
	}

	@Test
	void everyStandardMethodCountsUnderItsOwnName() {
		List<String> methods = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
		for (String method : methods) {
			this.metrics.record(method, 200, "/users/{id}", null, false, 1_000_000, -1);
		}
		for (String method : methods) {
			assertThat(this.client.named("http.server.requests.method." + method)).as(method).hasSize(1);
			assertThat(this.client.named("http.server.route." + method + ".users_id.time")).as(method).hasSize(1);
		}
		assertThat(this.client.named("http.server.requests.method.OTHER")).isEmpty();
	}

	@Test
	void aMethodReadFromTheWireRatherThanAConstantCountsUnderItsOwnName() {
		for (String method : List.of("GET", "HEAD", "POST", "PUT")) {
			String fromTheWire = new String(method.toCharArray());
			assertThat(HttpServerMetrics.methodIndex(fromTheWire)).as(method)
				.isEqualTo(HttpServerMetrics.methodIndex(method));
			this.metrics.record(fromTheWire, 200, "/users/{id}", null, false, 1_000_000, -1);
			assertThat(this.client.named("http.server.requests.method." + method)).as(method).hasSize(1);
		}
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

	@Test
	void routeTimerNamesAreKeptApartPerRouteAndMethod() {
		for (int i = 0; i < 3; i++) {
			this.metrics.record("GET", 200, "/users/{id}", null, false, 1, -1);
			this.metrics.record("POST", 201, "/users/{id}", null, false, 1, -1);
			this.metrics.record("GET", 200, "/orders/{id}", null, false, 1, -1);
			this.metrics.record("BREW", 200, "/orders/{id}", null, false, 1, -1);
		}
		assertThat(this.client.names().stream().filter((name) -> name.contains(".route.")))
			.containsExactly(repeat(3, "http.server.route.GET.users_id.time", "http.server.route.POST.users_id.time",
					"http.server.route.GET.orders_id.time", "http.server.route.OTHER.orders_id.time"));
		assertThat(this.metrics.uncachedRouteLookups()).isZero();
	}

	@Test
	void routesBeyondTheCapAreStillNamedAndCounted() {
		int routes = HttpServerMetrics.MAX_CACHED_ROUTES + 5;
		for (int i = 0; i < routes; i++) {
			this.metrics.record("GET", 200, "/r" + i + "/{id}", null, false, 1, -1);
		}
		this.metrics.record("PUT", 200, "/r" + (routes - 1) + "/{id}", null, false, 1, -1);
		this.metrics.record("GET", 200, "/r0/{id}", null, false, 1, -1);
		List<String> timers = this.client.names().stream().filter((name) -> name.contains(".route.")).toList();
		assertThat(timers).hasSize(routes + 2);
		assertThat(timers.subList(routes - 1, routes + 2)).containsExactly(
				"http.server.route.GET.r" + (routes - 1) + "_id.time",
				"http.server.route.PUT.r" + (routes - 1) + "_id.time", "http.server.route.GET.r0_id.time");
		assertThat(this.metrics.uncachedRouteLookups()).isEqualTo(6);
	}

	@Test
	void aRealClientReceivesOnlyTheNamesAnExchangeRecords() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			QueueDispatcher dispatcher = new QueueDispatcher();
			dispatcher.setFailFast(new MockResponse.Builder().code(200).build());
			server.setDispatcher(dispatcher);
			server.start();
			// Room for the seven names of one exchange and no more: binding the metrics
			// of every status and method must not take names.
			StatsClient client = StatsClient.create(StatsClientConfig.builder()
				.protocol(Protocol.HTTP)
				.destHost("127.0.0.1")
				.destPort(server.getPort())
				.secret("s3cret")
				.set(StatsClientConfig.MAX_NAMES, 7)
				.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false)
				.build());
			try (client) {
				HttpServerMetrics metrics = new HttpServerMetrics(() -> client, "http.server", true);
				metrics.record("GET", 200, "/users/{id}", null, false, 1_500_000, 27);
				metrics.record("GET", 200, "/users/{id}", null, false, 2_250_000, 31);
				assertThat(client.flush()).isTrue();
				List<String> bodies = new ArrayList<>();
				RecordedRequest request;
				while ((request = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
					bodies.add(request.getBody().utf8());
				}
				assertThat(counted(bodies)).containsExactlyInAnyOrderEntriesOf(
						Map.of("http.server.requests.total", 2L, "http.server.requests.method.GET", 2L,
								"http.server.requests.status.200", 2L, "http.server.requests.success", 2L));
				assertThat(listed(bodies)).containsExactlyInAnyOrderEntriesOf(Map.of("http.server.response.time",
						List.of("1.5", "2.25"), "http.server.route.GET.users_id.time", List.of("1.5", "2.25"),
						"http.server.response.size", List.of("27", "31")));
				assertThat(client.telemetry().delivered()).isEqualTo(14);
				assertThat(client.telemetry().droppedTotal()).isZero();
			}
		}
	}

	// Counters summed over the request bodies.
	private static Map<String, Long> counted(List<String> bodies) {
		Map<String, Long> counted = new TreeMap<>();
		Pattern counter = Pattern.compile("\"([^\"]+)\":(\\d+)[,}]");
		for (String body : bodies) {
			int start = body.indexOf("\"counters\":{");
			if (start >= 0) {
				Matcher matcher = counter.matcher(body.substring(start + 12, body.indexOf('}', start) + 1));
				while (matcher.find()) {
					counted.merge(matcher.group(1), Long.parseLong(matcher.group(2)), Long::sum);
				}
			}
		}
		return counted;
	}

	// Timer and histogram values, in the order of the request bodies.
	private static Map<String, List<String>> listed(List<String> bodies) {
		Map<String, List<String>> listed = new TreeMap<>();
		Matcher matcher = Pattern.compile("\"([^\"]+)\":\\[([^\\]]*)]").matcher(String.join("", bodies));
		while (matcher.find()) {
			listed.computeIfAbsent(matcher.group(1), (name) -> new ArrayList<>())
				.addAll(List.of(matcher.group(2).split(",")));
		}
		return listed;
	}

	@Test
	void countsStayExactUnderConcurrentExchanges() throws Exception {
		CountingStatsClient counting = new CountingStatsClient();
		HttpServerMetrics shared = new HttpServerMetrics(() -> counting, "http.server", true);
		String[] methods = { "GET", "POST", "DELETE", "PATCH" };
		String[] routes = { "/a/{id}", "/b/{id}", "/c", "/d/**" };
		int threads = 4;
		int perThread = 20_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread worker = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 0; i < perThread; i++) {
					shared.record(methods[i % 4], 200, routes[(i / 4) % 4], null, false, 1_000, 10);
				}
			});
			worker.start();
			workers.add(worker);
		}
		start.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		int total = threads * perThread;
		assertThat(counting.count("http.server.requests.total")).isEqualTo(total);
		assertThat(counting.count("http.server.requests.success")).isEqualTo(total);
		assertThat(counting.count("http.server.response.time")).isEqualTo(total);
		for (String method : methods) {
			assertThat(counting.count("http.server.requests.method." + method)).isEqualTo(total / 4);
			for (String route : routes) {
				assertThat(counting
					.count("http.server.route." + method + "." + HttpServerMetrics.routeName(route) + ".time"))
					.isEqualTo(total / 16);
			}
		}
		// total, success, status, response time and size, 4 methods, 16 route timers
		assertThat(counting.names()).hasSize(25);
	}

	private static String[] repeat(int times, String... names) {
		String[] repeated = new String[times * names.length];
		for (int i = 0; i < repeated.length; i++) {
			repeated[i] = names[i % names.length];
		}
		return repeated;
	}

	/** Counts updates per name, without keeping them. */
	private static class CountingStatsClient extends CapturingStatsClient {

		private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

		long count(String name) {
			LongAdder count = this.counts.get(name);
			return (count != null) ? count.sum() : 0;
		}

		@Override
		public List<String> names() {
			return List.copyOf(this.counts.keySet());
		}

		@Override
		public void incr(String name, double value) {
			this.counts.computeIfAbsent(name, (key) -> new LongAdder()).increment();
		}

		@Override
		public void time(String name, double millis) {
			incr(name, 1);
		}

		@Override
		public void hist(String name, double value) {
			incr(name, 1);
		}

	}

}
