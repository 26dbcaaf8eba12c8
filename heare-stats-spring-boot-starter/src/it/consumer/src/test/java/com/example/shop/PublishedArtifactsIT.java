package com.example.shop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what this build resolved from the repository the starter was installed in: what an
 * IDE user relies on is in the jars, and sources and javadoc sit beside them.
 */
class PublishedArtifactsIT {

	private static final Path REPOSITORY = Path.of(System.getProperty("heare.repository"), "io", "heare", "stats");

	private static final String VERSION = System.getProperty("heare.version");

	@Test
	void starterIsAJarWithNoCodeOfItsOwn() throws IOException {
		try (ZipFile jar = new ZipFile(artifact("heare-stats-spring-boot-starter", "").toFile())) {
			assertThat(jar.stream().map(ZipEntry::getName)).noneMatch((name) -> name.endsWith(".class"));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "heare-stats-core", "heare-stats-micrometer", "heare-stats-spring-boot-autoconfigure" })
	void librariesHaveSourcesAndJavadoc(String artifactId) throws IOException {
		try (ZipFile sources = new ZipFile(artifact(artifactId, "-sources").toFile());
				ZipFile javadoc = new ZipFile(artifact(artifactId, "-javadoc").toFile())) {
			assertThat(sources.stream().map(ZipEntry::getName)).anyMatch((name) -> name.endsWith(".java"));
			assertThat(javadoc.getEntry("index.html")).isNotNull();
		}
	}

	@Test
	void autoConfigurationJarDescribesEveryPropertyAndListsItsAutoConfigurations() throws IOException {
		try (ZipFile jar = new ZipFile(artifact("heare-stats-spring-boot-autoconfigure", "").toFile())) {
			JsonNode metadata = new ObjectMapper()
				.readTree(read(jar, "META-INF/spring-configuration-metadata.json"));
			List<String> undescribed = new ArrayList<>();
			List<String> names = new ArrayList<>();
			metadata.path("properties").forEach((property) -> {
				names.add(property.path("name").asText());
				if (property.path("description").asText("").isBlank()) {
					undescribed.add(property.path("name").asText());
				}
			});
			assertThat(names).contains("heare.stats.dest-host", "heare.stats.dest-port", "heare.stats.secret",
					"heare.stats.prefix", "heare.stats.protocol");
			assertThat(names).allMatch((name) -> name.startsWith("heare.stats.") || name.startsWith("management."));
			assertThat(undescribed).as("properties without a description").isEmpty();

			String imports = read(jar, "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
			List<String> autoConfigurations = imports.lines().map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#")).toList();
			assertThat(autoConfigurations).contains("io.heare.stats.autoconfigure.HeareStatsAutoConfiguration");
			assertThat(autoConfigurations).allSatisfy((name) -> assertThat(
					jar.getEntry(name.replace('.', '/') + ".class")).as(name).isNotNull());
		}
	}

	private static Path artifact(String artifactId, String classifier) {
		Path jar = REPOSITORY.resolve(artifactId).resolve(VERSION).resolve(artifactId + "-" + VERSION + classifier + ".jar");
		assertThat(jar).exists();
		return jar;
	}

	private static String read(ZipFile jar, String name) throws IOException {
		ZipEntry entry = jar.getEntry(name);
		assertThat(entry).as(name).isNotNull();
		return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
	}

}
