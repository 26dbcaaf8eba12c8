package io.heare.stats.client;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MetricNames}, the one rule every protocol applies to metric names.
 */
class MetricNamesTests {

	private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]");

	@Test
	void exactlyLettersDigitsUnderscoreDotAndHyphenAreKept() {
		// Every ASCII and Latin-1 character, the neighbours of each allowed range
		// included.
		for (char c = 0; c < 0x180; c++) {
			String expected = ALLOWED.matcher(String.valueOf(c)).matches() ? "a" + c + "b" : "a_b";
			assertThat(MetricNames.sanitize("a" + c + "b")).as("character U+%04X", (int) c).isEqualTo(expected);
		}
	}

	@ParameterizedTest
	@CsvSource(delimiterString = "->",
			value = { "http.server.requests -> http.server.requests", "api:v1|count@0.5 -> api_v1_count_0.5",
					"'user name ' -> user_name_", "größe -> gr__e", "Mixed-Case_9 -> Mixed-Case_9", "a..b -> a..b" })
	void charactersStatsdOrTheServiceCannotCarryBecomeUnderscores(String name, String expected) {
		assertThat(MetricNames.sanitize(name)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiterString = "->",
			value = { ".a -> a", "a. -> a", "...a.b... -> a.b", "..a b. -> a_b", ".:x:. -> _x_", ".. . -> _" })
	void leadingAndTrailingDotsAreRemovedBeforeTheRestIsSanitized(String name, String expected) {
		assertThat(MetricNames.sanitize(name)).isEqualTo(expected);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { ".", "...." })
	void aNameWithNothingLeftIsInvalid(String name) {
		assertThat(MetricNames.sanitize(name)).isNull();
	}

	@Test
	void prefixIsJoinedWithADot() {
		assertThat(MetricNames.qualify("myapp", "requests")).isEqualTo("myapp.requests");
	}

	@Test
	void prefixIsSanitizedLikeAName() {
		assertThat(MetricNames.qualify("my app.", ".requests:total")).isEqualTo("my_app.requests_total");
		assertThat(MetricNames.qualify("..web..", "hits")).isEqualTo("web.hits");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "   ", "\t", "..." })
	void withoutAUsablePrefixTheNameStandsAlone(String prefix) {
		assertThat(MetricNames.qualify(prefix, "requests")).isEqualTo("requests");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "...", "." })
	void aNameWithNothingLeftStaysInvalidWhateverThePrefix(String name) {
		assertThat(MetricNames.qualify("app", name)).isNull();
		assertThat(MetricNames.qualify(null, name)).isNull();
	}

	@Test
	void aNameAtTheLimitIsKeptAsItIs() {
		String name = "a".repeat(MetricNames.MAX_LENGTH);
		assertThat(MetricNames.limit(name)).isSameAs(name);
	}

	@Test
	void aNameOverTheLimitIsCutWithoutTheDotsTheCutLeavesAtItsEnd() {
		assertThat(MetricNames.limit("a".repeat(198) + ".." + "b".repeat(50))).isEqualTo("a".repeat(198));
		assertThat(MetricNames.limit("a".repeat(199) + "bc")).isEqualTo("a".repeat(199) + "b");
		assertThat(MetricNames.limit("a." + ".".repeat(250))).isEqualTo("a");
	}

}
