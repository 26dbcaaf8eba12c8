package io.heare.stats.micrometer;

import io.heare.stats.client.Pipeline;

/**
 * A meter whose value is read once per step rather than sent as it is recorded.
 */
interface PolledMeter {

	/** Reads the meter and records what heare should get on {@code pipeline}. */
	void poll(Pipeline pipeline);

}
