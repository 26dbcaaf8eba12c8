package io.heare.stats.collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the JSON body shared by {@code POST /http} and WebSocket frames.
 * Reading is strict (unknown members, strings for numbers and non-finite values are
 * rejected) because the collector exists to catch client bugs before production does.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class MetricBatchJson {

	// Metric names are map keys: canonicalized, every distinct one would stay in the
	// factory's shared symbol table, which no cap of the store's can bound.
	private static final JsonMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder().disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES).build())
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private MetricBatchJson() {
	}

	/**
	 * Parses and validates one batch.
	 * @param json the body or frame text
	 * @return the batch
	 * @throws MalformedBatchException if the text is not valid JSON or has a wrong shape
	 */
	public static MetricBatch read(@Nullable String json) {
		if (json == null || json.isBlank()) {
			throw new MalformedBatchException("empty body");
		}
		JsonNode root;
		try {
			root = MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			throw new MalformedBatchException("invalid JSON: " + ex.getOriginalMessage());
		}
		if (root == null || !root.isObject()) {
			throw new MalformedBatchException("body must be a JSON object");
		}
		Map<String, Double> counters = new LinkedHashMap<>();
		Map<String, Double> gauges = new LinkedHashMap<>();
		Map<String, List<Double>> timers = new LinkedHashMap<>();
		Map<String, List<Double>> histograms = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> member : root.properties()) {
			switch (member.getKey()) {
				case "counters" -> readMap(member, (name, node) -> counters.put(name, number(member, name, node)));
				case "gauges" -> readMap(member, (name, node) -> gauges.put(name, number(member, name, node)));
				case "timers" -> readMap(member, (name, node) -> timers.put(name, numbers(member, name, node)));
				case "histograms" -> readMap(member, (name, node) -> histograms.put(name, numbers(member, name, node)));
				default -> throw new MalformedBatchException(
						"unknown member '" + member.getKey() + "' (expected counters, gauges, timers, histograms)");
			}
		}
		return new MetricBatch(counters, gauges, timers, histograms);
	}

	/**
	 * Writes a batch the way the Python client does: empty members left out, integral
	 * values as JSON integers, names sorted so that the output is stable.
	 * @param batch the batch
	 * @return the JSON text
	 */
	public static String write(MetricBatch batch) {
		Map<String, Object> body = new LinkedHashMap<>();
		putIfNotEmpty(body, "counters", normalize(batch.counters()));
		putIfNotEmpty(body, "gauges", normalize(batch.gauges()));
		putIfNotEmpty(body, "timers", normalizeLists(batch.timers()));
		putIfNotEmpty(body, "histograms", normalizeLists(batch.histograms()));
		return MAPPER.writeValueAsString(body);
	}

	/**
	 * Turns a double into a {@link Long} when it is integral, so that JSON shows
	 * {@code 6} rather than {@code 6.0}.
	 * @param value the value
	 * @return a {@link Long} or {@link Double} of the same value
	 */
	public static Number jsonNumber(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 9.0e15) {
			return (long) value;
		}
		return value;
	}

	private static void readMap(Map.Entry<String, JsonNode> member, BiConsumer<String, JsonNode> consumer) {
		if (!member.getValue().isObject()) {
			throw new MalformedBatchException("'" + member.getKey() + "' must be an object");
		}
		for (Map.Entry<String, JsonNode> entry : member.getValue().properties()) {
			if (entry.getKey().isEmpty()) {
				throw new MalformedBatchException("'" + member.getKey() + "' has an empty metric name");
			}
			consumer.accept(entry.getKey(), entry.getValue());
		}
	}

	private static double number(Map.Entry<String, JsonNode> member, String name, JsonNode node) {
		if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
			throw new MalformedBatchException(
					"'" + member.getKey() + "." + name + "' must be a finite number, got " + node);
		}
		return node.doubleValue();
	}

	private static List<Double> numbers(Map.Entry<String, JsonNode> member, String name, JsonNode node) {
		if (!node.isArray()) {
			throw new MalformedBatchException(
					"'" + member.getKey() + "." + name + "' must be an array of numbers, got " + node);
		}
		List<Double> values = new ArrayList<>(node.size());
		for (JsonNode element : node) {
			values.add(number(member, name, element));
		}
		return values;
	}

	private static void putIfNotEmpty(Map<String, Object> body, String key, Map<String, ?> map) {
		if (!map.isEmpty()) {
			body.put(key, map);
		}
	}

	private static Map<String, Number> normalize(Map<String, Double> map) {
		Map<String, Number> result = new TreeMap<>();
		map.forEach((name, value) -> result.put(name, jsonNumber(value)));
		return result;
	}

	private static Map<String, List<Number>> normalizeLists(Map<String, List<Double>> map) {
		Map<String, List<Number>> result = new TreeMap<>();
		map.forEach((name, values) -> result.put(name, values.stream().map(MetricBatchJson::jsonNumber).toList()));
		return result;
	}

}
