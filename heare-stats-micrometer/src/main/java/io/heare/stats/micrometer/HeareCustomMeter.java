package io.heare.stats.micrometer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.heare.stats.client.Pipeline;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.internal.DefaultMeter;

/**
 * A meter of a custom type, read once per step, one heare name per measurement
 * ({@code statistic.<statistic>}): cumulative statistics (count, total, total time) as
 * counter increments, every other one as a gauge.
 */
final class HeareCustomMeter extends DefaultMeter implements PolledMeter {

	private final List<Measured> measured = new ArrayList<>();

	HeareCustomMeter(Id id, Type type, Iterable<Measurement> measurements, Function<Statistic, String> names) {
		super(id, type, measurements);
		for (Measurement measurement : measurements) {
			String name = names.apply(measurement.getStatistic());
			this.measured.add(new Measured(measurement, name,
					cumulative(measurement.getStatistic()) ? new CounterDelta(name) : null));
		}
	}

	private static boolean cumulative(Statistic statistic) {
		return statistic == Statistic.COUNT || statistic == Statistic.TOTAL || statistic == Statistic.TOTAL_TIME;
	}

	@Override
	public void poll(Pipeline pipeline) {
		for (Measured each : this.measured) {
			double value = each.measurement.getValue();
			if (each.delta != null) {
				each.delta.send(pipeline, value);
			}
			else if (Double.isFinite(value)) {
				pipeline.gauge(each.name, value);
			}
		}
	}

	private record Measured(Measurement measurement, String name, CounterDelta delta) {
	}

}
