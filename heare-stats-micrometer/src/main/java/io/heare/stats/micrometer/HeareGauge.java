package io.heare.stats.micrometer;

import java.util.function.ToDoubleFunction;

import io.heare.stats.client.Pipeline;
import io.micrometer.core.instrument.internal.DefaultGauge;
import org.jspecify.annotations.Nullable;

/**
 * A gauge whose value is sent once per step. A value that is not a finite number (NaN
 * once the observed object is gone) is not sent.
 */
final class HeareGauge<T> extends DefaultGauge<T> implements PolledMeter {

	private final String name;

	HeareGauge(Id id, @Nullable T obj, ToDoubleFunction<T> value, String name) {
		super(id, obj, value);
		this.name = name;
	}

	@Override
	public void poll(Pipeline pipeline) {
		double value = value();
		if (Double.isFinite(value)) {
			pipeline.gauge(this.name, value);
		}
	}

}
