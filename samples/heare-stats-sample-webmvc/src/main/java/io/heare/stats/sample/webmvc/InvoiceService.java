package io.heare.stats.sample.webmvc;

import io.heare.stats.annotation.Counted;

import org.springframework.stereotype.Service;

/**
 * Renders invoices through a flaky billing system: every third order fails, so that the
 * sample has errors to show. {@code @Counted} counts the calls as
 * {@code invoices.rendered} and the failures as {@code invoices.rendered.error}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@Service
public class InvoiceService {

	/**
	 * Renders the invoice of {@code order}.
	 * @param order the order
	 * @return the invoice
	 * @throws InvoiceUnavailableException for every third order
	 */
	@Counted("invoices.rendered")
	public Invoice render(Order order) {
		if (order.id() % 3 == 0) {
			throw new InvoiceUnavailableException(order.id());
		}
		return new Invoice(order.id(), order.product(), order.quantity(), "INV-%06d".formatted(order.id()));
	}

}
