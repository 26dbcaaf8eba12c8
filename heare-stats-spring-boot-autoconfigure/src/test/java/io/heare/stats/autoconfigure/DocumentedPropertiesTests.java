package io.heare.stats.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.heare.stats.testsupport.ReferenceDocs;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the property table of {@code docs/configuration.md} lists exactly the
 * properties of the configuration metadata this module generates, with the defaults the
 * metadata declares.
 */
class DocumentedPropertiesTests {

	private static final String SECTION = "Spring Boot properties";

	@Test
	void referenceListsEveryPropertyOfTheMetadataAndNoOther() throws IOException {
		assertThat(documented().keySet()).as("properties in docs/configuration.md")
			.containsExactlyInAnyOrderElementsOf(metadata().keySet());
	}

	@Test
	void referenceGivesTheDefaultsOfTheMetadata() throws IOException {
		Map<String, String> documented = documented();
		metadata().forEach((name, defaultValue) -> {
			if (defaultValue != null) {
				assertThat(sameValue(documented.get(name), defaultValue.toString()))
					.as("default of %s: documented %s, metadata %s", name, documented.get(name), defaultValue)
					.isTrue();
			}
		});
	}

	private static Map<String, String> documented() {
		Map<String, String> properties = new LinkedHashMap<>();
		for (List<String> row : ReferenceDocs.tableRows("configuration.md", SECTION)) {
			String name = ReferenceDocs.codeSpans(row.get(0)).get(0);
			// A map property is listed with ".*" for its keys.
			name = name.endsWith(".*") ? name.substring(0, name.length() - 2) : name;
			List<String> defaults = ReferenceDocs.codeSpans(row.get(1));
			assertThat(properties.put(name, defaults.isEmpty() ? null : defaults.get(0))).as("%s listed twice", name)
				.isNull();
		}
		return properties;
	}

	private static Map<String, Object> metadata() throws IOException {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			List<Map<String, Object>> entries = JsonPath.read(in, "$.properties[*]");
			Map<String, Object> properties = new LinkedHashMap<>();
			entries.forEach((entry) -> properties.put(entry.get("name").toString(), entry.get("defaultValue")));
			assertThat(properties).as("generated metadata").containsKey("heare.stats.dest-host");
			return properties;
		}
	}

	private static boolean sameValue(String documented, String metadata) {
		if (documented == null) {
			return false;
		}
		try {
			return new BigDecimal(documented).compareTo(new BigDecimal(metadata)) == 0;
		}
		catch (NumberFormatException ex) {
			return documented.equals(metadata);
		}
	}

}
