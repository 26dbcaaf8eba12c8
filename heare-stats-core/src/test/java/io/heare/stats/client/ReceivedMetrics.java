package io.heare.stats.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Totals of what a metrics service received, read back from the JSON bodies independently
 * of the encoder, the way a service would aggregate them.
 */
final class ReceivedMetrics {

	private static final JsonFactory factory = JsonFactory.builder().build();

	final Map<String, Double> counters = new TreeMap<>();

	final Map<String, Double> gauges = new TreeMap<>();

	final Map<String, List<Double>> timers = new TreeMap<>();

	final Map<String, List<Double>> histograms = new TreeMap<>();

	int bodies;

	void add(String json) {
		this.bodies++;
		try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), json)) {
			expect(parser.nextToken(), JsonToken.START_OBJECT);
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String member = parser.currentName();
				expect(parser.nextToken(), JsonToken.START_OBJECT);
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String name = parser.currentName();
					JsonToken value = parser.nextToken();
					switch (member) {
						case "counters" -> this.counters.merge(name, parser.getDoubleValue(), Double::sum);
						case "gauges" -> this.gauges.put(name, parser.getDoubleValue());
						case "timers", "histograms" -> {
							expect(value, JsonToken.START_ARRAY);
							List<Double> values = (member.equals("timers") ? this.timers : this.histograms)
								.computeIfAbsent(name, (key) -> new ArrayList<>());
							while (parser.nextToken() != JsonToken.END_ARRAY) {
								values.add(parser.getDoubleValue());
							}
						}
						default -> throw new IllegalStateException("unexpected member " + member);
					}
				}
			}
		}
	}

	private static void expect(JsonToken actual, JsonToken expected) {
		if (actual != expected) {
			throw new IllegalStateException("expected " + expected + " but found " + actual);
		}
	}

}
