package io.heare.stats.collector;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MetricHistory}.
 */
class MetricHistoryTests {

	private final MetricStore store = new MetricStore(1000, 100, 256, MetricRecorder.NONE);

	private final MetricHistory history = new MetricHistory(5, 1000);

	@Test
	void countersBecomeRatesGaugesValuesAndTimersIntervalPercentiles() {
		this.store.counter("app.hits", 10);
		this.store.gauge("app.queue", 7);
		for (int i = 1; i <= 100; i++) {
			this.store.timer("app.latency", i);
		}
		this.history.sample(this.store, 1_000);
		this.store.counter("app.hits", 4);
		this.store.gauge("app.queue", 3);
		this.history.sample(this.store, 3_000);
		this.store.timer("app.latency", 500);
		this.history.sample(this.store, 4_000);

		Map<String, Object> view = this.history.view("", 10, 0);
		assertThat(view.get("times")).isEqualTo(List.of(1.0, 3.0, 4.0));
		assertThat(data(view, "app.hits")).containsExactly(List.of(10f, 2f, 0f));
		assertThat(data(view, "app.queue")).containsExactly(List.of(7f, 3f, 3f));
		assertThat(data(view, "app.latency")).containsExactly(Arrays.asList(50f, null, 500f),
				Arrays.asList(95f, null, 500f), Arrays.asList(99f, null, 500f));
		assertThat(chart(view, "app.latency")).containsEntry("kind", "timer")
			.containsEntry("unit", "ms")
			.containsEntry("lines", List.of("p50", "p95", "p99"));
	}

	@Test
	void pinnedChartsAddUpTheHttpServerMetricsOfEveryPrefix() {
		this.store.counter("shop.http.server.requests.total", 6);
		this.store.counter("billing.http.server.requests.total", 4);
		this.store.counter("shop.http.server.requests.error", 2);
		this.store.counter("shop.http.server.requests.error.IOException", 100);
		this.store.counter("nothttp.server.requests.total", 100);
		this.store.timer("shop.http.server.response.time", 10);
		this.store.timer("billing.http.server.response.time", 30);
		this.store.timer("shop.http.server.response.time.other", 1000);
		this.history.sample(this.store, 1_000);

		List<Map<String, Object>> pinned = charts(this.history.view("", 0, 0), "pinned");
		assertThat(pinned).extracting((chart) -> chart.get("name"))
			.containsExactly("request rate", "error rate", "response time");
		assertThat(pinned.get(0).get("data")).isEqualTo(List.of(List.of(10f)));
		assertThat(pinned.get(1).get("data")).isEqualTo(List.of(List.of(2f)));
		assertThat(pinned.get(2).get("data")).isEqualTo(List.of(List.of(10f), List.of(30f), List.of(30f)));
	}

	@Test
	void keepsTheLastPointsOnlyAndPadsYoungerSeries() {
		for (int t = 1; t <= 8; t++) {
			this.store.gauge("old", t);
			if (t >= 6) {
				this.store.gauge("young", t);
			}
			this.history.sample(this.store, t * 1000L);
		}
		Map<String, Object> view = this.history.view("", 10, 0);
		assertThat(view.get("times")).isEqualTo(List.of(4.0, 5.0, 6.0, 7.0, 8.0));
		assertThat(data(view, "old")).containsExactly(List.of(4f, 5f, 6f, 7f, 8f));
		assertThat(data(view, "young")).containsExactly(Arrays.asList(null, null, 6f, 7f, 8f));

		Map<String, Object> since = this.history.view("", 10, 6.0);
		assertThat(since.get("times")).isEqualTo(List.of(7.0, 8.0));
		assertThat(data(since, "young")).containsExactly(List.of(7f, 8f));
	}

	@Test
	void filterMatchesPartOfTheNameIgnoringCaseAndLimitCapsTheCharts() {
		for (String name : new String[] { "db.Query.time", "db.pool.size", "http.requests", "cache.query.hits" }) {
			this.store.counter(name, 1);
		}
		this.history.sample(this.store, 1_000);
		Map<String, Object> view = this.history.view("QUERY", 1, 0);
		assertThat(view.get("matched")).isEqualTo(2);
		assertThat(charts(view, "charts")).extracting((chart) -> chart.get("name")).containsExactly("cache.query.hits");
	}

	@Test
	void resetForgetsEverySeries() {
		this.store.counter("gone", 1);
		this.history.sample(this.store, 1_000);
		this.store.reset();
		this.history.reset();
		this.history.sample(this.store, 2_000);
		Map<String, Object> view = this.history.view("", 10, 0);
		assertThat(view.get("times")).isEqualTo(List.of(2.0));
		assertThat(charts(view, "charts")).isEmpty();
	}

	private static Map<String, Object> chart(Map<String, Object> view, String name) {
		return charts(view, "charts").stream()
			.filter((chart) -> name.equals(chart.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no chart " + name + " in " + view));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> charts(Map<String, Object> view, String member) {
		return (List<Map<String, Object>>) view.get(member);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> data(Map<String, Object> view, String name) {
		return (List<Object>) chart(view, name).get("data");
	}

}
