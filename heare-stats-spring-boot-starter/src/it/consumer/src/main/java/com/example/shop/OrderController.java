package com.example.shop;

import java.util.List;

import io.heare.stats.annotation.Timed; // not Micrometer's io.micrometer.core.annotation.Timed
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class OrderController {

    private final StatsClient stats;

    OrderController(StatsClient stats) {
        this.stats = stats;
    }

    @Timed("orders.get") // orders.get (ms), orders.get.success or orders.get.error.<Exception>
    @GetMapping("/orders/{id}")
    Order get(@PathVariable long id) {
        return new Order(id, List.of("book"));
    }

    @PostMapping("/orders")
    Order create(@RequestBody Order order) {
        try (Pipeline pipe = this.stats.pipeline()) { // sent together when the block ends
            pipe.incr("orders.created");
            pipe.hist("orders.items", order.items().size());
        }
        return order;
    }

    @PostMapping("/orders/{id}/cancel")
    void cancel(@PathVariable long id) {
        this.stats.incr("orders.cancelled");
    }

    record Order(long id, List<String> items) {
    }
}
