package io.heare.stats.micrometer;

import java.util.concurrent.atomic.AtomicInteger;

import io.heare.stats.test.InMemoryStatsClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the flat heare names of {@link HeareMeterRegistry}, with the meters
 * {@code docs/metrics.md} shows.
 */
class HeareNamesTests {

	private final InMemoryStatsClient client = new InMemoryStatsClient();

	private HeareMeterRegistry registry = HeareMeterRegistry.builder(HeareConfig.DEFAULT, this.client).build();

	@AfterEach
	void close() {
		this.registry.close();
	}

	private static Meter.Id id(String name, String... tags) {
		return Timer.builder(name)
			.tags(tags)
			.register(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
			.getId();
	}

	@Test
	void httpServerRequestsFoldsItsTagsInKeyOrderAndSanitizesTheUri() {
		Meter.Id id = id("http.server.requests", "uri", "/api/orders/{id}", "status", "200", "outcome", "SUCCESS",
				"method", "GET", "exception", "none");
		assertThat(this.registry.heareName(id)).isEqualTo(
				"http.server.requests.exception.none.method.GET.outcome.SUCCESS.status.200.uri._api_orders__id_");
	}

	@Test
	void jvmMemoryUsedReplacesSpacesInThePoolName() {
		assertThat(this.registry.heareName(id("jvm.memory.used", "area", "heap", "id", "G1 Eden Space")))
			.isEqualTo("jvm.memory.used.area.heap.id.G1_Eden_Space");
		assertThat(this.registry.heareName(id("jvm.memory.used", "area", "nonheap", "id", "CodeHeap 'non-nmethods'")))
			.isEqualTo("jvm.memory.used.area.nonheap.id.CodeHeap__non-nmethods_");
	}

	@Test
	void hikariConnectionsActiveKeepsThePoolName() {
		assertThat(this.registry.heareName(id("hikaricp.connections.active", "pool", "HikariPool-1")))
			.isEqualTo("hikaricp.connections.active.pool.HikariPool-1");
	}

	@Test
	void dotsInTagsBecomeUnderscoresSoEachTagStaysTwoSegments() {
		assertThat(this.registry.heareName(id("application.ready.time", "main.application.class", "com.example.App")))
			.isEqualTo("application.ready.time.main_application_class.com_example_App");
	}

	@Test
	void emptyTagValuesBecomeAnUnderscore() {
		assertThat(this.registry.heareName(id("tasks", "name", "", "state", "idle")))
			.isEqualTo("tasks.name._.state.idle");
	}

	@Test
	void statisticsOfMultiValueMetersAreATagAsInMicrometersHierarchicalRegistries() {
		assertThat(this.registry
			.heareName(id("http.server.requests.active", "uri", "/x", "method", "GET").withTag(Statistic.ACTIVE_TASKS)))
			.isEqualTo("http.server.requests.active.method.GET.statistic.active.uri._x");
	}

	@Test
	void commonTagsAreFoldedLikeAnyOther() {
		this.registry.config().commonTags("application", "shop");
		this.registry.gauge("jvm.threads.live", Tags.empty(), new AtomicInteger(12));
		this.registry.publish();
		assertThat(this.client.metrics().names()).containsExactly("jvm.threads.live.application.shop");
		assertThat(this.client.telemetry().recorded()).isOne();
	}

	@Test
	void aCustomMapperDecidesTheNameAndTheResultIsStillSanitized() {
		this.registry.close();
		this.registry = HeareMeterRegistry.builder(HeareConfig.DEFAULT, this.client)
			.nameMapper((id, convention) -> id.getName() + "/" + id.getTag("uri"))
			.build();
		Counter counter = this.registry.counter("http.server.requests", "uri", "/orders", "method", "GET");
		counter.increment();
		// The in-memory client sanitizes too, so the registry's own result is checked
		// first.
		assertThat(this.registry.heareName(counter.getId())).isEqualTo("http.server.requests__orders");
		assertThat(this.client.metrics().names()).containsExactly("http.server.requests__orders");
		assertThat(this.client.telemetry().recorded()).isOne();
	}

}
