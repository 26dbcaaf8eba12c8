package io.heare.stats.sample.webmvc;

import java.time.Duration;
import java.util.List;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ships pending orders in the background, measured like the heare client's "background
 * job metrics" example: {@code jobs.started} and the {@code jobs.queue.size} gauge when a
 * run starts, then {@code jobs.completed}, the {@code jobs.duration} timer and the
 * {@code jobs.items.processed} histogram, or {@code jobs.failed}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@Component
public class FulfillmentJob {

	private final OrderService orders;

	private final StatsClient stats;

	private final int batchSize;

	/**
	 * Creates the job.
	 * @param orders where pending orders come from
	 * @param stats the metrics client
	 * @param batchSize the most orders shipped in one run
	 */
	public FulfillmentJob(OrderService orders, StatsClient stats,
			@Value("${sample.fulfillment.batch-size:50}") int batchSize) {
		this.orders = orders;
		this.stats = stats;
		this.batchSize = batchSize;
	}

	/**
	 * Ships up to one batch of pending orders.
	 * @return the number of orders shipped
	 */
	@Scheduled(fixedDelayString = "${sample.fulfillment.interval:2s}",
			initialDelayString = "${sample.fulfillment.interval:2s}")
	public int run() {
		try (Pipeline pipe = this.stats.pipeline()) {
			pipe.incr("jobs.started");
			pipe.gauge("jobs.queue.size", this.orders.pendingCount());
		}
		long start = System.nanoTime();
		try {
			List<Order> batch = this.orders.takePending(this.batchSize);
			batch.forEach(this::ship);
			try (Pipeline pipe = this.stats.pipeline()) {
				pipe.incr("jobs.completed");
				pipe.time("jobs.duration", Duration.ofNanos(System.nanoTime() - start));
				pipe.hist("jobs.items.processed", batch.size());
			}
			return batch.size();
		}
		catch (RuntimeException ex) {
			this.stats.incr("jobs.failed");
			throw ex;
		}
	}

	private void ship(Order order) {
		// A real job would call a warehouse API here; pretend it takes a moment.
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
