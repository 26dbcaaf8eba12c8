package io.heare.stats.client.transport;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a batch as the JSON body of {@code docs/protocol.md}, shared by the HTTP and
 * WebSocket transports: empty members are left out, integral values are written as JSON
 * integers (as the Python client does), counters carry their scaled-up sums (JSON has no
 * place for a sample rate), and timer values recorded at several rates are merged.
 * Members are written in name order so that equal batches give equal bodies.
 */
final class JsonBatchEncoder {

	// Above 2^53 a double no longer holds every integer, so it is written as a double.
	private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992d;

	private final JsonFactory factory = JsonFactory.builder().build();

	/** The batch as UTF-8 JSON bytes. */
	public byte[] encode(Batch batch) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256 + batch.size() * 48);
		try (JsonGenerator json = this.factory.createGenerator(ObjectWriteContext.empty(), out)) {
			json.writeStartObject();
			writeScalars(json, "counters", counters(batch));
			writeScalars(json, "gauges", gauges(batch));
			writeSeries(json, "timers", timers(batch));
			writeSeries(json, "histograms", histograms(batch));
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	private static Map<String, Double> counters(Batch batch) {
		Map<String, Double> counters = new TreeMap<>();
		batch.forEachCounter((name, value, updates) -> counters.put(name, value));
		return counters;
	}

	private static Map<String, Double> gauges(Batch batch) {
		Map<String, Double> gauges = new TreeMap<>();
		batch.forEachGauge((name, value, updates) -> gauges.put(name, value));
		return gauges;
	}

	private static Map<String, List<double[]>> timers(Batch batch) {
		Map<String, List<double[]>> timers = new TreeMap<>();
		batch.forEachTimer((name, values, count, rate) -> collect(timers, name, values, count));
		return timers;
	}

	private static Map<String, List<double[]>> histograms(Batch batch) {
		Map<String, List<double[]>> histograms = new TreeMap<>();
		batch.forEachHistogram((name, values, count, rate) -> collect(histograms, name, values, count));
		return histograms;
	}

	private static void collect(Map<String, List<double[]>> target, String name, double[] values, int count) {
		double[] copy = new double[count];
		System.arraycopy(values, 0, copy, 0, count);
		target.computeIfAbsent(name, (key) -> new ArrayList<>(1)).add(copy);
	}

	private static void writeScalars(JsonGenerator json, String member, Map<String, Double> values) {
		if (values.isEmpty()) {
			return;
		}
		json.writeName(member);
		json.writeStartObject();
		for (Map.Entry<String, Double> entry : values.entrySet()) {
			json.writeName(entry.getKey());
			writeNumber(json, entry.getValue());
		}
		json.writeEndObject();
	}

	private static void writeSeries(JsonGenerator json, String member, Map<String, List<double[]>> series) {
		if (series.isEmpty()) {
			return;
		}
		json.writeName(member);
		json.writeStartObject();
		for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
			json.writeName(entry.getKey());
			json.writeStartArray();
			for (double[] values : entry.getValue()) {
				for (double value : values) {
					writeNumber(json, value);
				}
			}
			json.writeEndArray();
		}
		json.writeEndObject();
	}

	static void writeNumber(JsonGenerator json, double number) {
		double value = Batch.finite(number);
		if (value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_INTEGER) {
			json.writeNumber((long) value);
		}
		else {
			json.writeNumber(value);
		}
	}

}
