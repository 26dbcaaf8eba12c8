package io.heare.stats.autoconfigure.micrometer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata generated from
 * {@link HeareMetricsExportProperties}.
 */
class HeareMetricsExportMetadataTests {

	@Test
	void documentsEveryPropertyWithADescriptionAndADefault() throws IOException {
		List<Map<String, Object>> entries = JsonPath.read(read("META-INF/spring-configuration-metadata.json"),
				"$.properties[*]");
		Map<String, Map<String, Object>> heare = entries.stream()
			.filter((entry) -> entry.get("name").toString().startsWith("management.heare.metrics.export."))
			.collect(Collectors.toMap((entry) -> entry.get("name").toString(), (entry) -> entry));
		assertThat(heare.keySet()).containsExactlyInAnyOrder("management.heare.metrics.export.enabled",
				"management.heare.metrics.export.step", "management.heare.metrics.export.max-meters",
				"management.heare.metrics.export.tags.allow", "management.heare.metrics.export.tags.deny");
		assertThat(heare)
			.allSatisfy((name, entry) -> assertThat(entry.getOrDefault("description", "").toString()).as(name)
				.isNotBlank()
				.doesNotStartWith("The ")
				.doesNotStartWith("A ")
				.endsWith("."));
		assertThat(heare.get("management.heare.metrics.export.step")).containsEntry("defaultValue", "10s");
		assertThat(heare.get("management.heare.metrics.export.max-meters")).containsEntry("defaultValue", 2000);
	}

	private static String read(String path) throws IOException {
		try (InputStream input = new ClassPathResource(path).getInputStream()) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
