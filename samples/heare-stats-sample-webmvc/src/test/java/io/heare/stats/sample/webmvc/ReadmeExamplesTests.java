package io.heare.stats.sample.webmvc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's two example tests are these test classes, shown from their first import to
 * their end: a change to either that is not made in the README (or the other way round)
 * fails the build.
 */
class ReadmeExamplesTests {

	private static final Path README = Path.of("../../README.md");

	private static final Path SOURCES = Path.of("src/test/java/io/heare/stats/sample/webmvc");

	@ParameterizedTest
	@ValueSource(strings = { "OrderServiceMetricsTests.java", "OrderControllerMetricsTests.java" })
	void readmeShowsTheExampleTestVerbatim(String file) throws IOException {
		String source = Files.readString(SOURCES.resolve(file));
		String shown = source.substring(source.indexOf("import "));
		assertThat(Files.readString(README)).contains("```java\n" + shown + "```\n");
	}

}
