package io.heare.stats.sample.webmvc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two example tests of {@code docs/testing.md} are these test classes, shown from
 * their first import to their end: a change to either that is not made in the page (or
 * the other way round) fails the build.
 */
class ReadmeExamplesTests {

	private static final Path PAGE = Path.of("../../docs/testing.md");

	private static final Path SOURCES = Path.of("src/test/java/io/heare/stats/sample/webmvc");

	@ParameterizedTest
	@ValueSource(strings = { "OrderServiceMetricsTests.java", "OrderControllerMetricsTests.java" })
	void testingPageShowsTheExampleTestVerbatim(String file) throws IOException {
		String source = Files.readString(SOURCES.resolve(file));
		String shown = source.substring(source.indexOf("import "));
		assertThat(Files.readString(PAGE)).contains("```java\n" + shown + "```\n");
	}

}
