package io.heare.stats.sample.webmvc;

import java.net.URI;

import io.heare.stats.annotation.Timed;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The order API. Each method is timed with {@code @Timed}, which also counts its outcome
 * as {@code <name>.success} or {@code <name>.error}; the starter's filter adds the
 * {@code http.server.*} request metrics on its own.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@RestController
@RequestMapping("/api/orders")
public class OrderController {

	private final OrderService orders;

	private final InvoiceService invoices;

	/**
	 * Creates the controller.
	 * @param orders the order service
	 * @param invoices the invoice service
	 */
	public OrderController(OrderService orders, InvoiceService invoices) {
		this.orders = orders;
		this.invoices = invoices;
	}

	/**
	 * {@code GET /api/orders/{id}}: the order, or 404.
	 * @param id the order id
	 * @return the response
	 */
	@Timed("orders.get")
	@GetMapping("/{id}")
	public ResponseEntity<Order> get(@PathVariable long id) {
		return ResponseEntity.of(this.orders.find(id));
	}

	/**
	 * {@code POST /api/orders}: stores the order and answers 201 with its location.
	 * @param order what was ordered
	 * @return the response
	 */
	@Timed("orders.create")
	@PostMapping
	public ResponseEntity<Order> create(@RequestBody NewOrder order) {
		Order created = this.orders.create(order);
		return ResponseEntity.created(URI.create("/api/orders/" + created.id())).body(created);
	}

	/**
	 * {@code GET /api/orders/{id}/invoice}: the invoice, 404, or 503 when billing fails
	 * (every third order).
	 * @param id the order id
	 * @return the response
	 */
	@Timed("orders.invoice")
	@GetMapping("/{id}/invoice")
	public ResponseEntity<Invoice> invoice(@PathVariable long id) {
		return ResponseEntity.of(this.orders.find(id).map(this.invoices::render));
	}

}
