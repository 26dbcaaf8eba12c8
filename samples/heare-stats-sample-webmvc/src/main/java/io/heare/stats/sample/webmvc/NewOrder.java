package io.heare.stats.sample.webmvc;

/**
 * The body of {@code POST /api/orders}.
 *
 * @param product the product to order
 * @param quantity how many items
 * @author heare-stats
 * @since 0.1.0
 */
public record NewOrder(String product, int quantity) {

}
