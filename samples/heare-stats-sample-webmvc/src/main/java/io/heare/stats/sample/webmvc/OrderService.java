package io.heare.stats.sample.webmvc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;

import org.springframework.stereotype.Service;

/**
 * Takes orders and keeps the ones still to be fulfilled. A new order is counted in
 * {@code orders.created} and its size recorded in the {@code orders.quantity} histogram,
 * in one pipeline.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@Service
public class OrderService {

	private final Queue<Order> pending = new ConcurrentLinkedQueue<>();

	private final OrderRepository repository;

	private final StatsClient stats;

	/**
	 * Creates the service.
	 * @param repository where orders are stored
	 * @param stats the metrics client
	 */
	public OrderService(OrderRepository repository, StatsClient stats) {
		this.repository = repository;
		this.stats = stats;
	}

	/**
	 * Looks an order up.
	 * @param id the order id
	 * @return the order, if there is one
	 */
	public Optional<Order> find(long id) {
		return this.repository.findById(id);
	}

	/**
	 * Stores an order and queues it for fulfillment.
	 * @param order what was ordered
	 * @return the stored order
	 */
	public Order create(NewOrder order) {
		Order created = this.repository.insert(order);
		this.pending.add(created);
		try (Pipeline pipe = this.stats.pipeline()) {
			pipe.incr("orders.created");
			pipe.hist("orders.quantity", created.quantity());
		}
		return created;
	}

	/**
	 * Returns the number of orders waiting for fulfillment.
	 * @return the queue size
	 */
	public int pendingCount() {
		return this.pending.size();
	}

	/**
	 * Removes up to {@code max} orders from the fulfillment queue.
	 * @param max the most orders to take
	 * @return the orders taken, oldest first
	 */
	public List<Order> takePending(int max) {
		List<Order> taken = new ArrayList<>();
		Order order;
		while (taken.size() < max && (order = this.pending.poll()) != null) {
			taken.add(order);
		}
		return taken;
	}

}
