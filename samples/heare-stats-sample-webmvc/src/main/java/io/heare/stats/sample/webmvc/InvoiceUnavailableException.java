package io.heare.stats.sample.webmvc;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Thrown when the (pretend) billing system cannot produce an invoice; answered with 503.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
public class InvoiceUnavailableException extends RuntimeException {

	/**
	 * Creates the exception for one order.
	 * @param orderId the order whose invoice failed
	 */
	public InvoiceUnavailableException(long orderId) {
		super("Billing is unavailable for order " + orderId);
	}

}
