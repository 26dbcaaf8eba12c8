package io.heare.stats.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import io.heare.stats.autoconfigure.aop.HeareStatsAopProperties;
import io.heare.stats.autoconfigure.web.HeareStatsWebProperties;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata that the configuration processor generates from
 * {@link HeareStatsProperties}.
 */
class ConfigurationMetadataTests {

	@Test
	void documentsEveryPropertyWithADescription() throws IOException {
		List<Map<String, Object>> entries = JsonPath.read(read("META-INF/spring-configuration-metadata.json"),
				"$.properties[*]");
		Map<String, Object> descriptions = entries.stream()
			.filter((entry) -> entry.get("name").toString().startsWith("heare.stats."))
			.collect(Collectors.toMap((entry) -> entry.get("name").toString(),
					(entry) -> entry.getOrDefault("description", "")));
		TreeSet<String> expected = propertyNames("heare.stats.", HeareStatsProperties.class);
		expected.addAll(propertyNames("heare.stats.aop.", HeareStatsAopProperties.class));
		expected.addAll(propertyNames("heare.stats.web.", HeareStatsWebProperties.class));
		assertThat(descriptions.keySet()).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(descriptions).allSatisfy((name, description) -> assertThat(description.toString()).as(name)
			.isNotBlank()
			.doesNotStartWith("The ")
			.doesNotStartWith("A ")
			.endsWith("."));
	}

	@Test
	void documentsTheHealthIndicatorSwitches() throws IOException {
		List<String> additional = JsonPath.read(read("META-INF/additional-spring-configuration-metadata.json"),
				"$.properties[*].name");
		assertThat(additional).containsExactly("management.health.heare-stats.enabled");
		List<Map<String, Object>> entries = JsonPath.read(read("META-INF/spring-configuration-metadata.json"),
				"$.properties[?(@.name == 'management.health.heare-stats.down-on-failure')]");
		assertThat(entries).singleElement().satisfies((entry) -> {
			assertThat(entry).containsEntry("type", "java.lang.Boolean")
				.containsEntry("sourceType", HeareStatsHealthProperties.class.getName())
				.containsEntry("defaultValue", false);
			assertThat(entry.get("description").toString()).startsWith("Whether the health check reports DOWN");
		});
	}

	private static TreeSet<String> propertyNames(String prefix, Class<?> type) {
		TreeSet<String> names = new TreeSet<>();
		for (Field field : type.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers())) {
				continue;
			}
			String name = prefix + field.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
			if (field.getType().getDeclaringClass() == type && !field.getType().isEnum()) {
				names.addAll(propertyNames(name + ".", field.getType()));
			}
			else {
				names.add(name);
			}
		}
		return names;
	}

	private static String read(String path) throws IOException {
		try (InputStream input = new ClassPathResource(path).getInputStream()) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
