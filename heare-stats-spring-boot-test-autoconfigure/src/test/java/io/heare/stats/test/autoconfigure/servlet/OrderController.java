package io.heare.stats.test.autoconfigure.servlet;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.heare.stats.annotation.Timed;
import io.heare.stats.client.StatsClient;

/**
 * A controller that records through an injected {@link StatsClient} and is timed with
 * {@code @Timed}. Its responses are plain text with a {@code Content-Length}.
 */
@RestController
public class OrderController {

	private final StatsClient stats;

	OrderController(StatsClient stats) {
		this.stats = stats;
	}

	@Timed("orders.get")
	@GetMapping("/orders/{id}")
	String get(@PathVariable long id) {
		this.stats.incr("orders.viewed");
		return "order " + id;
	}

}
