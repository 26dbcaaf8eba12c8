package io.heare.stats.test.autoconfigure.webflux;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.heare.stats.annotation.Timed;
import io.heare.stats.client.StatsClient;

/**
 * A reactive controller that records through an injected {@link StatsClient} and is timed
 * with {@code @Timed}.
 */
@RestController
public class ReactiveOrderController {

	private final StatsClient stats;

	ReactiveOrderController(StatsClient stats) {
		this.stats = stats;
	}

	@Timed("orders.get")
	@GetMapping("/orders/{id}")
	Mono<String> get(@PathVariable long id) {
		return Mono.fromSupplier(() -> {
			this.stats.incr("orders.viewed");
			return "order " + id;
		});
	}

}
