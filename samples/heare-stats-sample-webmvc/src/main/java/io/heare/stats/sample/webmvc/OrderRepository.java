package io.heare.stats.sample.webmvc;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;

import org.springframework.stereotype.Repository;

/**
 * An in-memory stand-in for an order table. Every query is measured the way the heare
 * client's "database query metrics" example does: {@code db.queries.total} and
 * {@code db.queries.orders.<operation>} before it runs, then the
 * {@code db.query.duration} timer and the {@code db.rows.returned} histogram.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@Repository
public class OrderRepository {

	private final Map<Long, Order> orders = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final StatsClient stats;

	/**
	 * Creates a repository that reports to {@code stats}.
	 * @param stats the metrics client
	 */
	public OrderRepository(StatsClient stats) {
		this.stats = stats;
	}

	/**
	 * Looks an order up by id.
	 * @param id the order id
	 * @return the order, if there is one
	 */
	public Optional<Order> findById(long id) {
		return query("select", () -> Optional.ofNullable(this.orders.get(id)), (found) -> found.isPresent() ? 1 : 0);
	}

	/**
	 * Stores a new order under the next id.
	 * @param order what was ordered
	 * @return the stored order
	 */
	public Order insert(NewOrder order) {
		return query("insert", () -> {
			Order stored = new Order(this.ids.incrementAndGet(), order.product(), order.quantity());
			this.orders.put(stored.id(), stored);
			return stored;
		}, (stored) -> 1);
	}

	private <T> T query(String operation, Supplier<T> query, ToIntFunction<T> rows) {
		try (Pipeline pipe = this.stats.pipeline()) {
			pipe.incr("db.queries.total");
			pipe.incr("db.queries.orders." + operation);
		}
		long start = System.nanoTime();
		simulateLatency();
		T result = query.get();
		try (Pipeline pipe = this.stats.pipeline()) {
			pipe.time("db.query.duration", Duration.ofNanos(System.nanoTime() - start));
			pipe.hist("db.rows.returned", rows.applyAsInt(result));
		}
		return result;
	}

	private static void simulateLatency() {
		try {
			Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
