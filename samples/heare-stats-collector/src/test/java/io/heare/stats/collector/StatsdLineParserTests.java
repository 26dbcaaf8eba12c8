package io.heare.stats.collector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StatsdLineParser}.
 */
class StatsdLineParserTests {

	@Test
	void parsesEveryType() {
		assertThat(StatsdLineParser.parse("a.b:3|c"))
			.isEqualTo(new StatsdLine("a.b", StatsdLine.Type.COUNTER, 3, false, 1));
		assertThat(StatsdLineParser.parse("g:85.5|g"))
			.isEqualTo(new StatsdLine("g", StatsdLine.Type.GAUGE, 85.5, false, 1));
		assertThat(StatsdLineParser.parse("t:45.2|ms"))
			.isEqualTo(new StatsdLine("t", StatsdLine.Type.TIMER, 45.2, false, 1));
		assertThat(StatsdLineParser.parse("h:2048|h").type()).isEqualTo(StatsdLine.Type.HISTOGRAM);
		assertThat(StatsdLineParser.parse("d:1|d").type()).isEqualTo(StatsdLine.Type.HISTOGRAM);
		assertThat(StatsdLineParser.parse("users:alice|s").type()).isEqualTo(StatsdLine.Type.SET);
	}

	@Test
	void parsesSampleRate() {
		StatsdLine line = StatsdLineParser.parse("hits:1|c|@0.1");
		assertThat(line.sampleRate()).isEqualTo(0.1);
		assertThat(StatsdLineParser.parse("hits:1|c|@1").sampleRate()).isEqualTo(1.0);
		assertThat(StatsdLineParser.parse("hits:1|c|@.5").sampleRate()).isEqualTo(0.5);
	}

	@Test
	void signedGaugeIsDeltaButSignedCounterIsNot() {
		assertThat(StatsdLineParser.parse("g:-5|g").delta()).isTrue();
		assertThat(StatsdLineParser.parse("g:-5|g").value()).isEqualTo(-5);
		assertThat(StatsdLineParser.parse("g:+5|g").delta()).isTrue();
		assertThat(StatsdLineParser.parse("g:0|g").delta()).isFalse();
		assertThat(StatsdLineParser.parse("c:-3|c").delta()).isFalse();
		assertThat(StatsdLineParser.parse("c:-3|c").value()).isEqualTo(-3);
	}

	@Test
	void acceptsAwkwardButValidInput() {
		assertThat(StatsdLineParser.parse("x:1|c\r").name()).isEqualTo("x");
		assertThat(StatsdLineParser.parse("x:1.|ms").value()).isEqualTo(1.0);
		assertThat(StatsdLineParser.parse("x:1e3|ms").value()).isEqualTo(1000.0);
		assertThat(StatsdLineParser.parse("x:-0|ms").value()).isEqualTo(-0.0);
		assertThat(StatsdLineParser.parse("with space/and-ünïcode:1|c").name()).isEqualTo("with space/and-ünïcode");
		assertThat(StatsdLineParser.parse(" x:1|c").name()).isEqualTo(" x");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ":1|c", "x", "x:", "x:1", "x:1|", "x:|c", "x:1|q", "x:1|C", "x:1|c|", "x:1|c|0.5",
			"x:1|c|@", "x:1|c|@0", "x:1|c|@-1", "x:1|c|@1.5", "x:1|c|@abc", "x:1|c|@0.5|extra", "x:1|c|#tag:v",
			"x:abc|c", "x:NaN|g", "x:Infinity|ms", "x:1d|c", "x:0x10|c", "x: 1|c", "x:1 |c", "x:1|c ", "x:1|ms:2|ms",
			"x:1e999|c", "x|y:1|c", "x@y:1|c", "x:|s", "x:++1|g", "x:1..2|ms", "x:.|c", "x:1|g|@0.5|@0.5" })
	void rejectsMalformedLines(String line) {
		assertThatIllegalArgumentException().isThrownBy(() -> StatsdLineParser.parse(line));
	}

	@Test
	void nameEndsAtFirstColonSoColonInNameBreaksTheLine() {
		// "a:b:1|c" reads as name "a" with value "b:1": not a number.
		assertThatIllegalArgumentException().isThrownBy(() -> StatsdLineParser.parse("a:b:1|c"));
	}

}
