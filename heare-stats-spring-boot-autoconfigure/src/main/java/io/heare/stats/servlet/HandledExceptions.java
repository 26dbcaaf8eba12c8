package io.heare.stats.servlet;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * A {@link HandlerExceptionResolver} that resolves nothing and counts the exceptions
 * Spring MVC hands to its exception resolvers, so that {@link HeareStatsServletFilter}
 * asks a request for the exception a handler turned into its response only when one may
 * have been: while the count stands still from the start of a request to its end, no
 * handler has done so. The three request attributes that could hold such an exception are
 * absent on nearly every request, and a look-up that misses in Tomcat goes through three
 * maps.
 * <p>
 * It is ordered first, as Spring Boot's {@code DefaultErrorAttributes} is, so that it
 * sees every exception before a resolver that handles it. Register it as a bean of the
 * application context whose {@code DispatcherServlet} serves the requests, and give the
 * same instance to the filter.
 *
 * @since 0.1.0
 */
public final class HandledExceptions implements HandlerExceptionResolver, Ordered {

	private final AtomicLong count = new AtomicLong();

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		this.count.incrementAndGet();
		return null;
	}

	/**
	 * The exceptions handed to the resolvers so far, from every thread.
	 * @return the count since start
	 */
	public long count() {
		return this.count.get();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
