package io.heare.stats.sample.webmvc;

/**
 * An order as it is stored and returned.
 *
 * @param id the order id
 * @param product the product ordered
 * @param quantity how many items
 * @author heare-stats
 * @since 0.1.0
 */
public record Order(long id, String product, int quantity) {

}
