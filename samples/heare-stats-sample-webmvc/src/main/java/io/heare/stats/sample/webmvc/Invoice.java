package io.heare.stats.sample.webmvc;

/**
 * An invoice for one order.
 *
 * @param orderId the order
 * @param product the product ordered
 * @param quantity how many items
 * @param number the invoice number
 * @author heare-stats
 * @since 0.1.0
 */
public record Invoice(long orderId, String product, int quantity, String number) {

}
