package io.heare.stats.aop;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.heare.stats.testsupport.CapturingStatsClient;
import io.heare.stats.testsupport.ReferenceDocs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the {@code @Timed} and {@code @Counted} table of {@code docs/metrics.md}
 * lists exactly the names {@link MethodMetrics} records for a name {@code N}, in every
 * outcome.
 */
class DocumentedMethodMetricNamesTests {

	private final CapturingStatsClient client = new CapturingStatsClient();

	@Test
	void referenceListsEveryNameTheAnnotationsRecord() {
		for (MethodMetrics metrics : List.of(new MethodMetrics(() -> this.client, "N", null, false),
				new MethodMetrics(() -> this.client, null, "N", false),
				new MethodMetrics(() -> this.client, null, "N", true))) {
			metrics.success(System.nanoTime());
			metrics.failure(System.nanoTime(), new IllegalStateException());
			metrics.cancelled(System.nanoTime());
		}

		assertThat(documented()).containsExactlyInAnyOrderElementsOf(recorded());
	}

	private Set<String> recorded() {
		Set<String> names = new TreeSet<>();
		for (String name : this.client.names()) {
			names.add(name.replaceFirst("^N\\.error\\.[A-Za-z]+$", "N.error.<ExceptionSimpleName>"));
		}
		return names;
	}

	private static Set<String> documented() {
		Set<String> names = new LinkedHashSet<>();
		for (List<String> row : ReferenceDocs.tableRows("metrics.md", "`@Timed` and `@Counted`")) {
			ReferenceDocs.codeSpans(row.get(0))
				.stream()
				.filter((name) -> name.equals("N") || name.startsWith("N."))
				.forEach(names::add);
		}
		return names;
	}

}
