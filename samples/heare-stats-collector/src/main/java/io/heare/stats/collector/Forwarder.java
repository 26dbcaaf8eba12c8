package io.heare.stats.collector;

/**
 * Sends one batch to another heare service.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@FunctionalInterface
public interface Forwarder {

	/**
	 * Hands a batch over for delivery and waits, within the forwarder's timeout, for it.
	 * A batch that was not delivered in time stays with the forwarder, which keeps
	 * retrying.
	 * @param batch the batch, never empty
	 * @return whether the batch (and any earlier one still pending) was delivered
	 */
	boolean forward(MetricBatch batch);

}
