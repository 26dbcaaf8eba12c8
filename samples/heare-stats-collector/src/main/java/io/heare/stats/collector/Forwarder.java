package io.heare.stats.collector;

import java.io.IOException;

/**
 * Sends one batch to another heare service. A seam so that the relay can move to the
 * project's own {@code io.heare.stats.client.HttpClient} once that exists.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@FunctionalInterface
public interface Forwarder {

	/**
	 * Sends a batch, blocking until the service answered.
	 * @param batch the batch, never empty
	 * @throws IOException if the batch was not accepted
	 */
	void forward(MetricBatch batch) throws IOException;

}
