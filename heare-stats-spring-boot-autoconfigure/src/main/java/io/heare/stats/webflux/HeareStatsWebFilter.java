package io.heare.stats.webflux;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;

import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;

/**
 * WebFlux {@link WebFilter} that records {@link HttpServerMetrics} for every exchange,
 * measured until the exchange completes. When the chain fails, the exchange is recorded
 * as the error handler commits the response, so the status is the one the client gets. A
 * client that goes away is recorded as {@code requests.cancelled}.
 * <p>
 * WebFlux does not expose exceptions that an {@code @ExceptionHandler} method handled.
 * One is recorded when the handler reports it the way Spring Framework documents for
 * observability,
 * {@code ServerRequestObservationContext.findCurrent(exchange.getAttributes())
 * .ifPresent(context -> context.setError(ex))}, or puts it in the
 * {@link #EXCEPTION_ATTRIBUTE} exchange attribute (take {@code ServerWebExchange} as a
 * parameter of the handler). Errors rendered by Spring Boot's error handler are recorded
 * without either.
 *
 * @since 0.1.0
 */
public class HeareStatsWebFilter implements WebFilter, Ordered {

	private static final Log logger = LogFactory.getLog(HeareStatsWebFilter.class);

	/**
	 * Exchange attribute under which application code can expose a handled exception.
	 */
	public static final String EXCEPTION_ATTRIBUTE = HeareStatsWebFilter.class.getName() + ".EXCEPTION";

	private static final String BOOT_ERROR_ATTRIBUTE = "org.springframework.boot.webflux.error.DefaultErrorAttributes.ERROR";

	// spring-web declares the Micrometer Observation API, but an application can exclude
	// it.
	private static final boolean OBSERVATION_PRESENT = ClassUtils.isPresent("io.micrometer.observation.Observation",
			HeareStatsWebFilter.class.getClassLoader());

	private final HttpServerMetrics metrics;

	private final ExcludedPaths excludedPaths;

	private final int order;

	// Read once: a filter whose metrics take no size does not ask the response for it.
	private final boolean recordsResponseSize;

	/**
	 * Creates a filter.
	 * @param metrics where to record
	 * @param excludedPaths paths that are not measured
	 * @param order the filter order
	 */
	public HeareStatsWebFilter(HttpServerMetrics metrics, ExcludedPaths excludedPaths, int order) {
		this.metrics = metrics;
		this.excludedPaths = excludedPaths;
		this.order = order;
		this.recordsResponseSize = metrics.recordsResponseSize();
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (excluded(exchange)) {
			return chain.filter(exchange);
		}
		return Mono.defer(() -> {
			Recording recording = new Recording(exchange, System.nanoTime());
			return chain.filter(exchange)
				.doOnSuccess((done) -> recording.record(null, false))
				.doOnError(recording::onError)
				.doOnCancel(() -> recording.record(null, true));
		});
	}

	// A path the matcher cannot handle is not measured rather than failed.
	private boolean excluded(ServerWebExchange exchange) {
		try {
			return !this.excludedPaths.isEmpty()
					&& this.excludedPaths.matches(exchange.getRequest().getPath().pathWithinApplication());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not match the request path; not measuring it", ex);
			return true;
		}
	}

	/**
	 * One exchange. Records exactly once, and never throws into the exchange.
	 */
	private final class Recording {

		private final ServerWebExchange exchange;

		private final long start;

		private final AtomicBoolean recorded = new AtomicBoolean();

		Recording(ServerWebExchange exchange, long start) {
			this.exchange = exchange;
			this.start = start;
		}

		void onError(Throwable error) {
			try {
				ServerHttpResponse response = this.exchange.getResponse();
				if (response.isCommitted()) {
					record(error, false);
				}
				else {
					response.beforeCommit(() -> {
						record(error, false);
						return Mono.empty();
					});
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record the failed exchange", ex);
			}
		}

		void record(Throwable error, boolean cancelled) {
			if (!this.recorded.compareAndSet(false, true)) {
				return;
			}
			try {
				long duration = System.nanoTime() - this.start;
				ServerHttpResponse response = this.exchange.getResponse();
				int status = status(response.getStatusCode(), error);
				Throwable exception = (error != null) ? error : handledException(this.exchange);
				HeareStatsWebFilter.this.metrics.record(this.exchange.getRequest().getMethod().name(), status,
						pattern(this.exchange), exception, cancelled, duration,
						HeareStatsWebFilter.this.recordsResponseSize ? contentLength(response) : -1);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record the exchange", ex);
			}
		}

		// getContentLength() throws on a malformed header.
		private static long contentLength(ServerHttpResponse response) {
			try {
				return response.getHeaders().getContentLength();
			}
			catch (RuntimeException ex) {
				return -1;
			}
		}

		private static int status(HttpStatusCode code, Throwable error) {
			if (code != null) {
				return code.value();
			}
			if (error instanceof ResponseStatusException statusException) {
				return statusException.getStatusCode().value();
			}
			return (error != null) ? 500 : 200;
		}

		private static Throwable handledException(ServerWebExchange exchange) {
			Object candidate = exchange.getAttribute(EXCEPTION_ATTRIBUTE);
			if (!(candidate instanceof Throwable)) {
				candidate = exchange.getAttribute(BOOT_ERROR_ATTRIBUTE);
			}
			if (!(candidate instanceof Throwable) && OBSERVATION_PRESENT) {
				candidate = ObservedError.find(exchange);
			}
			return (candidate instanceof Throwable throwable) ? throwable : null;
		}

		private static String pattern(ServerWebExchange exchange) {
			Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
			if (pattern == null) {
				pattern = exchange.getAttribute(RouterFunctions.MATCHING_PATTERN_ATTRIBUTE);
			}
			if (pattern instanceof PathPattern pathPattern) {
				return pathPattern.getPatternString();
			}
			return (pattern != null) ? pattern.toString() : null;
		}

	}

	/**
	 * The error an {@code @ExceptionHandler} set on the request's observation context, in
	 * a class of its own so that the filter loads without the Observation API.
	 */
	private static final class ObservedError {

		static Throwable find(ServerWebExchange exchange) {
			return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
				.map(ServerRequestObservationContext::getError)
				.orElse(null);
		}

	}

}
