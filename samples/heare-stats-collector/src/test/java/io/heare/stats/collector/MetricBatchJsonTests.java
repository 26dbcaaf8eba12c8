package io.heare.stats.collector;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MetricBatchJson}.
 */
class MetricBatchJsonTests {

	@Test
	void readsEveryMember() {
		MetricBatch batch = MetricBatchJson.read("""
				{"counters": {"a": 6, "b": -3}, "gauges": {"g": 85.5},
				 "timers": {"t": [45.2, 12]}, "histograms": {"h": [2048, 512]}}""");
		assertThat(batch.counters()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 6.0, "b", -3.0));
		assertThat(batch.gauges()).containsExactlyEntriesOf(Map.of("g", 85.5));
		assertThat(batch.timers()).containsExactlyEntriesOf(Map.of("t", List.of(45.2, 12.0)));
		assertThat(batch.histograms()).containsExactlyEntriesOf(Map.of("h", List.of(2048.0, 512.0)));
	}

	@Test
	void emptyObjectIsAnEmptyBatch() {
		assertThat(MetricBatchJson.read("{}").isEmpty()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "null", "[]", "42", "{", "{\"counters\": {\"a\": 1}} trailing",
			"{\"counters\": []}", "{\"counters\": {\"a\": \"1\"}}", "{\"counters\": {\"a\": true}}",
			"{\"counters\": {\"a\": null}}", "{\"gauges\": {\"g\": [1]}}", "{\"timers\": {\"t\": 1}}",
			"{\"timers\": {\"t\": [1, \"2\"]}}", "{\"histograms\": {\"h\": [[1]]}}", "{\"sets\": {}}",
			"{\"counters\": {\"\": 1}}", "{\"counters\": {\"a\": 1e999}}" })
	void rejectsWrongShapes(String json) {
		assertThatExceptionOfType(MalformedBatchException.class).isThrownBy(() -> MetricBatchJson.read(json));
	}

	@Test
	void writesIntegralValuesAsIntegersAndLeavesOutEmptyMembers() {
		MetricBatch batch = new MetricBatch(Map.of("b", 6.0, "a", -3.0), Map.of(), Map.of("t", List.of(45.2, 12.0)),
				Map.of());
		assertThat(MetricBatchJson.write(batch))
			.isEqualTo("{\"counters\":{\"a\":-3,\"b\":6},\"timers\":{\"t\":[45.2,12]}}");
	}

}
