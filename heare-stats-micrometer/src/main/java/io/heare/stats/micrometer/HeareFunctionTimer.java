package io.heare.stats.micrometer;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.heare.stats.client.Pipeline;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionTimer;

/**
 * A function timer read once per step: the individual durations are not known, so it is
 * sent as two counter increments, of its count ({@code statistic.count}) and of its total
 * time in milliseconds ({@code statistic.total}).
 */
final class HeareFunctionTimer<T> extends CumulativeFunctionTimer<T> implements PolledMeter {

	private final CounterDelta count;

	private final CounterDelta totalTime;

	HeareFunctionTimer(Id id, T obj, ToLongFunction<T> countFunction, ToDoubleFunction<T> totalTimeFunction,
			TimeUnit totalTimeFunctionUnit, String countName, String totalTimeName) {
		super(id, obj, countFunction, totalTimeFunction, totalTimeFunctionUnit, TimeUnit.MILLISECONDS);
		this.count = new CounterDelta(countName);
		this.totalTime = new CounterDelta(totalTimeName);
	}

	@Override
	public void poll(Pipeline pipeline) {
		this.count.send(pipeline, count());
		this.totalTime.send(pipeline, totalTime(TimeUnit.MILLISECONDS));
	}

}
