package io.heare.stats.servlet;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;

import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;

/**
 * Servlet {@link Filter} that records {@link HttpServerMetrics} for every request. Register
 * it for the {@code REQUEST} and {@code ASYNC} dispatcher types: an asynchronous request
 * (a {@code Callable}, {@code DeferredResult}, ...) is measured until the container
 * completes it, through an {@link AsyncListener}, not until the first dispatch returns.
 * <p>
 * The exception recorded is, in this order: one that escaped the filter chain (recorded
 * with status 500 unless an error status was already set), the one Spring MVC resolved
 * through an exception handler ({@link DispatcherServlet#EXCEPTION_ATTRIBUTE}, or the
 * attribute Spring Boot's {@code DefaultErrorAttributes} stores), or the servlet error
 * attribute. The route is Spring MVC's {@link HandlerMapping#BEST_MATCHING_PATTERN_ATTRIBUTE}.
 * The response size is its {@code Content-Length}, when the response declares one.
 *
 * @since 0.1.0
 */
public class HeareStatsServletFilter implements Filter {

	private static final Log logger = LogFactory.getLog(HeareStatsServletFilter.class);

	private static final String STATE_ATTRIBUTE = HeareStatsServletFilter.class.getName() + ".STATE";

	private static final String BOOT_ERROR_ATTRIBUTE = "org.springframework.boot.webmvc.error.DefaultErrorAttributes.ERROR";

	private final HttpServerMetrics metrics;

	private final ExcludedPaths excludedPaths;

	/**
	 * Creates a filter.
	 * @param metrics where to record
	 * @param excludedPaths paths that are not measured
	 */
	public HeareStatsServletFilter(HttpServerMetrics metrics, ExcludedPaths excludedPaths) {
		this.metrics = metrics;
		this.excludedPaths = excludedPaths;
	}

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
			chain.doFilter(req, res);
			return;
		}
		Exchange exchange = (Exchange) request.getAttribute(STATE_ATTRIBUTE);
		boolean first = exchange == null;
		if (first) {
			exchange = start(request, response);
			if (exchange == null) {
				chain.doFilter(request, response);
				return;
			}
		}
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			exchange.escaped = unwrap(ex);
			throw ex;
		}
		finally {
			finish(request, exchange, first);
		}
	}

	// The exchange to measure, or null when the request is excluded or cannot be measured: a
	// metrics problem (a path the matcher cannot handle) never fails the request.
	private Exchange start(HttpServletRequest request, HttpServletResponse response) {
		try {
			if (isExcluded(request)) {
				return null;
			}
			Exchange exchange = new Exchange(request, response, System.nanoTime());
			request.setAttribute(STATE_ATTRIBUTE, exchange);
			return exchange;
		}
		catch (RuntimeException ex) {
			logger.debug("Could not start measuring the request; not measuring it", ex);
			return null;
		}
	}

	private static void finish(HttpServletRequest request, Exchange exchange, boolean first) {
		try {
			if (request.isAsyncStarted()) {
				exchange.listenTo(request);
			}
			else if (first || exchange.escaped != null) {
				exchange.record();
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record the request", ex);
		}
	}

	private boolean isExcluded(HttpServletRequest request) {
		if (this.excludedPaths.isEmpty()) {
			return false;
		}
		String path = request.getRequestURI();
		String contextPath = request.getContextPath();
		if (!contextPath.isEmpty() && path.startsWith(contextPath)) {
			path = path.substring(contextPath.length());
		}
		return this.excludedPaths.matches(path.isEmpty() ? "/" : path);
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof ServletException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * One request, across its dispatches. Records exactly once.
	 */
	private final class Exchange implements AsyncListener {

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final long start;

		private final AtomicBoolean recorded = new AtomicBoolean();

		private boolean listening;

		private volatile Throwable escaped;

		private volatile Throwable asyncError;

		Exchange(HttpServletRequest request, HttpServletResponse response, long start) {
			this.request = request;
			this.response = response;
			this.start = start;
		}

		void listenTo(HttpServletRequest request) {
			if (!this.listening) {
				this.listening = true;
				request.getAsyncContext().addListener(this, request, this.response);
			}
		}

		void record() {
			if (!this.recorded.compareAndSet(false, true)) {
				return;
			}
			try {
				measure();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record the request", ex);
			}
		}

		private void measure() {
			long duration = System.nanoTime() - this.start;
			int status = this.response.getStatus();
			Throwable exception = this.escaped;
			if (exception != null && status < 400) {
				// The container turns it into a 500 after the filter chain unwinds.
				status = 500;
			}
			if (exception == null) {
				exception = this.asyncError;
			}
			if (exception == null) {
				exception = resolvedException(this.request);
			}
			Object pattern = this.request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
			HeareStatsServletFilter.this.metrics.record(this.request.getMethod(), status,
					(pattern != null) ? pattern.toString() : null, exception, false, duration, size(this.response));
		}

		private static Throwable resolvedException(HttpServletRequest request) {
			Object candidate = request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE);
			if (!(candidate instanceof Throwable)) {
				candidate = request.getAttribute(BOOT_ERROR_ATTRIBUTE);
			}
			if (!(candidate instanceof Throwable)) {
				candidate = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
			}
			return (candidate instanceof Throwable throwable) ? throwable : null;
		}

		private static long size(HttpServletResponse response) {
			String contentLength = response.getHeader("Content-Length");
			if (contentLength == null) {
				return -1;
			}
			try {
				return Long.parseLong(contentLength);
			}
			catch (NumberFormatException ex) {
				return -1;
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			record();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
			if (event.getThrowable() != null) {
				this.asyncError = event.getThrowable();
			}
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// A new asynchronous cycle drops the listeners of the previous one.
			event.getAsyncContext().addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
		}

	}

}
