package io.heare.stats.bench.requestcost;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A filter that times the request and reads its status, and records nothing: switched in
 * our filter's place ({@code -Dcost.empty-filter=true}), it measures what any filter in
 * that place adds, the floor under ours.
 */
final class EmptyFilter implements Filter {

	// Written so that the JIT cannot drop the work.
	static volatile long last;

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			last = System.nanoTime() - start + ((HttpServletResponse) response).getStatus();
		}
	}

}
