package io.heare.stats.servlet;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
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

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;

import io.heare.stats.aop.ControllerMethods;
import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;

/**
 * Servlet {@link Filter} that records {@link HttpServerMetrics} for every request.
 * Register it for the {@code REQUEST} and {@code ASYNC} dispatcher types: an asynchronous
 * request (a {@code Callable}, {@code DeferredResult}, ...) is measured until the
 * container completes it, through an {@link AsyncListener}, not until the first dispatch
 * returns.
 * <p>
 * The exception recorded is, in this order: one that escaped the filter chain (recorded
 * with status 500 unless an error status was already set), the one Spring MVC resolved
 * through an exception handler ({@link DispatcherServlet#EXCEPTION_ATTRIBUTE}, or the
 * attribute Spring Boot's {@code DefaultErrorAttributes} stores), or the servlet error
 * attribute. Given {@link HandledExceptions}, it asks for the last three only when an
 * exception reached Spring MVC's exception resolvers while the request was served, or the
 * status is an error. The route is Spring MVC's
 * {@link HandlerMapping#BEST_MATCHING_PATTERN_ATTRIBUTE}. Where the metrics record the
 * response size, it is the response's {@code Content-Length}, when it declares one.
 * <p>
 * Given {@link ControllerMethods}, it also records {@code @Timed} and {@code @Counted}
 * for the handler method that served the request
 * ({@link HandlerMapping#BEST_MATCHING_HANDLER_ATTRIBUTE}), with the same duration and
 * exception.
 *
 * @since 0.1.0
 */
public class HeareStatsServletFilter implements Filter {

	private static final Log logger = LogFactory.getLog(HeareStatsServletFilter.class);

	private static final String STATE_ATTRIBUTE = HeareStatsServletFilter.class.getName() + ".STATE";

	private static final String BOOT_ERROR_ATTRIBUTE = "org.springframework.boot.webmvc.error.DefaultErrorAttributes.ERROR";

	private final HttpServerMetrics metrics;

	private final ExcludedPaths excludedPaths;

	private final ControllerMethods controllerMethods;

	private final HandledExceptions handledExceptions;

	// Read once: a filter whose metrics take no size does not ask the response for it.
	private final boolean recordsResponseSize;

	/**
	 * Creates a filter.
	 * @param metrics where to record
	 * @param excludedPaths paths that are not measured
	 */
	public HeareStatsServletFilter(HttpServerMetrics metrics, ExcludedPaths excludedPaths) {
		this(metrics, excludedPaths, null);
	}

	/**
	 * Creates a filter that also records the {@code @Timed} and {@code @Counted} metrics
	 * of the controller handler method that served each request.
	 * @param metrics where to record
	 * @param excludedPaths paths that are not measured
	 * @param controllerMethods the handler methods' metrics, or {@code null} to leave
	 * them to a proxy
	 */
	public HeareStatsServletFilter(HttpServerMetrics metrics, ExcludedPaths excludedPaths,
			ControllerMethods controllerMethods) {
		this(metrics, excludedPaths, controllerMethods, null);
	}

	/**
	 * Creates a filter that also records the {@code @Timed} and {@code @Counted} metrics
	 * of the controller handler method that served each request, and asks a request for
	 * the exception an exception handler turned into its response only when
	 * {@code handledExceptions} counted one while it was served.
	 * @param metrics where to record
	 * @param excludedPaths paths that are not measured
	 * @param controllerMethods the handler methods' metrics, or {@code null} to leave
	 * them to a proxy
	 * @param handledExceptions the resolver registered with the application's
	 * {@code DispatcherServlet}, or {@code null} to ask every request
	 */
	public HeareStatsServletFilter(HttpServerMetrics metrics, ExcludedPaths excludedPaths,
			ControllerMethods controllerMethods, HandledExceptions handledExceptions) {
		this.metrics = metrics;
		this.excludedPaths = excludedPaths;
		this.controllerMethods = controllerMethods;
		this.handledExceptions = handledExceptions;
		this.recordsResponseSize = metrics.recordsResponseSize();
	}

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
			chain.doFilter(req, res);
			return;
		}
		// Only a later dispatch can belong to an exchange: the first (REQUEST) dispatch
		// does not ask, which saves a lookup on nearly every request.
		if (request.getDispatcherType() != DispatcherType.REQUEST
				&& request.getAttribute(STATE_ATTRIBUTE) instanceof Exchange exchange) {
			continueExchange(request, response, chain, exchange);
			return;
		}
		if (!measured(request)) {
			chain.doFilter(request, response);
			return;
		}
		// A request that completes in this dispatch (nearly all) is measured with local
		// state only; an exchange object is made when the request goes asynchronous.
		long start = System.nanoTime();
		long handled = handledExceptions();
		Throwable escaped = null;
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			escaped = unwrap(ex);
			throw ex;
		}
		finally {
			finishFirstDispatch(request, response, start, handled, escaped);
		}
	}

	private long handledExceptions() {
		return (this.handledExceptions != null) ? this.handledExceptions.count() : 0;
	}

	// A later (asynchronous) dispatch of a request whose first dispatch went
	// asynchronous.
	private static void continueExchange(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			Exchange exchange) throws IOException, ServletException {
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			exchange.escaped = unwrap(ex);
			throw ex;
		}
		finally {
			try {
				if (request.isAsyncStarted()) {
					exchange.listenTo(request);
				}
				else if (exchange.escaped != null) {
					exchange.record();
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record the request", ex);
			}
		}
	}

	private void finishFirstDispatch(HttpServletRequest request, HttpServletResponse response, long start, long handled,
			Throwable escaped) {
		try {
			if (request.isAsyncStarted()) {
				Exchange exchange = new Exchange(request, response, start);
				exchange.escaped = escaped;
				request.setAttribute(STATE_ATTRIBUTE, exchange);
				exchange.listenTo(request);
			}
			else {
				// Exceptions handled on other threads meanwhile move the count too: then
				// the request is asked, and has none.
				boolean mayHaveHandled = this.handledExceptions == null || handledExceptions() != handled;
				measure(request, response, start, escaped, null, mayHaveHandled);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record the request", ex);
		}
	}

	// Whether to measure the request: not when it is excluded or cannot be measured (a
	// metrics problem, such as a path the matcher cannot handle, never fails the
	// request).
	private boolean measured(HttpServletRequest request) {
		try {
			return !isExcluded(request);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not start measuring the request; not measuring it", ex);
			return false;
		}
	}

	private void measure(HttpServletRequest request, HttpServletResponse response, long start, Throwable escaped,
			Throwable asyncError, boolean mayHaveHandled) {
		long duration = System.nanoTime() - start;
		int status = response.getStatus();
		Throwable exception = escaped;
		if (exception != null && status < 400) {
			// The container turns it into a 500 after the filter chain unwinds.
			status = 500;
		}
		if (exception == null) {
			exception = asyncError;
		}
		// An error status is asked about whatever the count: a DispatcherServlet that
		// does not use the context's resolver beans never moves it.
		if (exception == null && (mayHaveHandled || status >= 400)) {
			exception = resolvedException(request);
		}
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		this.metrics.record(request.getMethod(), status, (pattern != null) ? pattern.toString() : null, exception,
				false, duration, this.recordsResponseSize ? size(response) : -1);
		if (this.controllerMethods != null && request
			.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof HandlerMethod handler) {
			this.controllerMethods.record(handler.getMethod(), handler.getBeanType(), duration, exception);
		}
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
	 * One asynchronous request, across its dispatches. Records exactly once.
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
			HeareStatsServletFilter.this.measure(this.request, this.response, this.start, this.escaped, this.asyncError,
					true);
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
