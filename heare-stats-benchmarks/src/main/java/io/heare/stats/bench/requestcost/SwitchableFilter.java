package io.heare.stats.bench.requestcost;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

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

	// Requests completed so far, in either state: CostApp's /internal/allocated reports
	// it beside the bytes allocated, read at the same moment, so that a short window's
	// bytes per request does not depend on how many requests were in flight when the
	// driver read its own count.
	static final AtomicLong completed = new AtomicLong();

	private final Filter delegate;

	SwitchableFilter(Filter delegate) {
		this.delegate = delegate;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		try {
			if (on) {
				this.delegate.doFilter(request, response, chain);
			}
			else {
				chain.doFilter(request, response);
			}
		}
		finally {
			completed.incrementAndGet();
		}
	}

}
