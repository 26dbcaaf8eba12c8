package io.heare.stats.bench.requestcost;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * A filter that runs another only while it is switched on, and otherwise passes the
 * request straight on: {@link CostApp}'s way of turning our filter on and off in a
 * running application, so that both states run the same compiled code around it.
 */
final class SwitchableFilter implements Filter {

	// Static: CostApp's /internal/switch endpoint, through which the driver turns it,
	// has no reference to the filter instance that Boot registers.
	static volatile boolean on = true;

	private final Filter delegate;

	SwitchableFilter(Filter delegate) {
		this.delegate = delegate;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (on) {
			this.delegate.doFilter(request, response, chain);
		}
		else {
			chain.doFilter(request, response);
		}
	}

}
