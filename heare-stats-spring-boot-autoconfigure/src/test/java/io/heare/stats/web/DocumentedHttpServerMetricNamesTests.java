package io.heare.stats.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.heare.stats.testsupport.CapturingStatsClient;
import io.heare.stats.testsupport.ReferenceDocs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the request metrics table of {@code docs/metrics.md} lists exactly the names
 * {@link HttpServerMetrics} records, with the variable parts written as the table writes
 * them ({@code <METHOD>}, {@code <code>}, ...).
 */
class DocumentedHttpServerMetricNamesTests {

	private final CapturingStatsClient client = new CapturingStatsClient();

	private final HttpServerMetrics metrics = new HttpServerMetrics(() -> this.client, "B", true);

	@Test
	void referenceListsEveryNameTheRequestMetricsRecord() {
		this.metrics.record("GET", 200, "/users/{id}", null, false, 5_000_000, 12);
		this.metrics.record("POST", 500, "/users/{id}/orders", new IllegalStateException(), false, 5_000_000, -1);
		this.metrics.record("PUT", 503, null, null, false, 5_000_000, -1);
		this.metrics.record("PROPFIND", 404, null, null, false, 5_000_000, -1);
		this.metrics.record("GET", 302, null, null, false, 5_000_000, -1);
		this.metrics.record("DELETE", 200, "/users/{id}", null, true, 5_000_000, -1);

		assertThat(documented()).containsExactlyInAnyOrderElementsOf(recorded());
	}

	private Set<String> recorded() {
		Set<String> names = new TreeSet<>();
		for (String name : this.client.names()) {
			names.add(name.replaceFirst("^B\\.requests\\.method\\.[A-Z]+$", "B.requests.method.<METHOD>")
				.replaceFirst("^B\\.requests\\.status\\.\\d+$", "B.requests.status.<code>")
				.replaceFirst("^B\\.requests\\.error\\.[A-Za-z]+$", "B.requests.error.<ExceptionSimpleName>")
				.replaceFirst("^B\\.route\\.[A-Z]+\\.[A-Za-z_]+\\.time$", "B.route.<METHOD>.<route>.time"));
		}
		return names;
	}

	private static Set<String> documented() {
		Set<String> names = new LinkedHashSet<>();
		for (List<String> row : ReferenceDocs.tableRows("metrics.md", "HTTP server requests")) {
			ReferenceDocs.codeSpans(row.get(0)).stream().filter((name) -> name.startsWith("B.")).forEach(names::add);
		}
		return names;
	}

}
