package io.heare.stats.micrometer;

import java.util.function.ToDoubleFunction;

import io.heare.stats.client.Pipeline;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionCounter;

/**
 * A function counter read once per step and sent as a counter increment of what it grew
 * by since the last step.
 */
final class HeareFunctionCounter<T> extends CumulativeFunctionCounter<T> implements PolledMeter {

	private final CounterDelta delta;

	HeareFunctionCounter(Id id, T obj, ToDoubleFunction<T> f, String name) {
		super(id, obj, f);
		this.delta = new CounterDelta(name);
	}

	@Override
	public void poll(Pipeline pipeline) {
		this.delta.send(pipeline, count());
	}

}
