package io.heare.stats.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.heare.stats.client.MetricNames;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;

/**
 * Records one HTTP server exchange into one pipeline, under a base name {@code B}
 * (default {@code http.server}):
 * <ul>
 * <li>{@code B.requests.total}, {@code B.requests.method.<METHOD>},
 * {@code B.requests.status.<code>} (counters);
 * <li>{@code B.requests.success}, or {@code B.requests.error} plus
 * {@code B.requests.error.<ExceptionSimpleName>}, or {@code B.requests.cancelled}
 * (counters);
 * <li>{@code B.response.time} (timer, ms), {@code B.response.size} (histogram, bytes, when
 * the size is known);
 * <li>{@code B.route.<METHOD>.<route>.time} (timer, ms).
 * </ul>
 * An exchange is an error when its status is 5xx or it ended with an exception, including
 * one that an exception handler turned into a response. A 404 that matched no route is
 * not an error. Methods outside the standard nine become {@code OTHER}, so clients cannot
 * create names. See {@link #routeName(String)} for the route rule.
 *
 * @since 0.1.0
 */
public final class HttpServerMetrics {

	private static final Log logger = LogFactory.getLog(HttpServerMetrics.class);

	/** Route bucket for exchanges that matched no route and answered 404. */
	public static final String NOT_FOUND = "NOT_FOUND";

	/** Route bucket for exchanges that matched no route and answered 3xx. */
	public static final String REDIRECTION = "REDIRECTION";

	/** Route bucket for exchanges that matched no route otherwise. */
	public static final String UNKNOWN = "UNKNOWN";

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE", "CONNECT");

	private static final int MAX_CACHED_ROUTES = 2048;

	private final Supplier<StatsClient> client;

	private final String base;

	private final String total;

	private final String success;

	private final String error;

	private final String cancelled;

	private final String responseTime;

	private final String responseSize;

	private final Map<String, String> methodNames = new ConcurrentHashMap<>();

	private final String[] statusNames = new String[600];

	// Route template, then method: looked up without building a key string per request.
	private final Map<String, Map<String, String>> routeTimers = new ConcurrentHashMap<>();

	private final Map<String, Map<String, String>> bucketTimers = new HashMap<>();

	/**
	 * Creates metrics under {@code baseName}.
	 * @param client supplies the client to record into (asked on every exchange)
	 * @param baseName the base name, sanitized; {@code http.server} when blank
	 */
	public HttpServerMetrics(Supplier<StatsClient> client, String baseName) {
		this.client = client;
		String base = MetricNames.sanitize(baseName);
		this.base = (base != null) ? base : "http.server";
		this.total = this.base + ".requests.total";
		this.success = this.base + ".requests.success";
		this.error = this.base + ".requests.error";
		this.cancelled = this.base + ".requests.cancelled";
		this.responseTime = this.base + ".response.time";
		this.responseSize = this.base + ".response.size";
		for (String method : METHODS) {
			this.methodNames.put(method, this.base + ".requests.method." + method);
		}
		this.methodNames.put("OTHER", this.base + ".requests.method.OTHER");
		for (String bucket : List.of(NOT_FOUND, REDIRECTION, UNKNOWN)) {
			Map<String, String> byVerb = new HashMap<>();
			this.methodNames.keySet().forEach((verb) -> byVerb.put(verb, routeTimerName(verb, bucket)));
			this.bucketTimers.put(bucket, byVerb);
		}
		for (int status = 100; status < 600; status++) {
			this.statusNames[status] = this.base + ".requests.status." + status;
		}
	}

	/**
	 * Records one exchange. Never throws.
	 * @param method the request method
	 * @param status the response status
	 * @param pattern the matched route template, or {@code null} when none matched
	 * @param exception the exception the exchange ended with, or {@code null}
	 * @param cancelled whether the client went away before the response completed; such an
	 * exchange counts only in the total, its method and {@code cancelled}
	 * @param durationNanos the time from the start of the exchange to its end
	 * @param size the response body size in bytes, or a negative value when unknown
	 */
	public void record(String method, int status, String pattern, Throwable exception, boolean cancelled,
			long durationNanos, long size) {
		try {
			String verb = METHODS.contains(method) ? method : "OTHER";
			String route;
			if (pattern == null || (status == 404 && "/**".equals(pattern))) {
				route = (status >= 300 && status < 400) ? REDIRECTION : (status == 404) ? NOT_FOUND : UNKNOWN;
				if (status == 404) {
					// "No handler" is the NOT_FOUND bucket, not an application error.
					exception = null;
				}
			}
			else {
				route = null;
			}
			double millis = durationNanos / 1_000_000d;
			try (Pipeline pipeline = this.client.get().pipeline()) {
				pipeline.incr(this.total).incr(this.methodNames.get(verb));
				if (cancelled) {
					// The client went away: no status, size or time was served to anyone.
					pipeline.incr(this.cancelled);
					return;
				}
				if (status >= 100 && status < 600) {
					pipeline.incr(this.statusNames[status]);
				}
				if (status >= 500 || exception != null) {
					pipeline.incr(this.error);
					if (exception != null) {
						pipeline.incr(this.error + "." + simpleName(exception));
					}
				}
				else {
					pipeline.incr(this.success);
				}
				pipeline.time(this.responseTime, millis);
				if (size >= 0) {
					pipeline.hist(this.responseSize, size);
				}
				pipeline.time(routeTimer(verb, pattern, route), millis);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record HTTP server metrics", ex);
		}
	}

	private String routeTimer(String verb, String pattern, String bucket) {
		if (bucket != null) {
			return this.bucketTimers.get(bucket).get(verb);
		}
		Map<String, String> byVerb = this.routeTimers.get(pattern);
		if (byVerb == null) {
			if (this.routeTimers.size() >= MAX_CACHED_ROUTES) {
				return routeTimerName(verb, routeName(pattern));
			}
			byVerb = this.routeTimers.computeIfAbsent(pattern, (key) -> new ConcurrentHashMap<>());
		}
		String name = byVerb.get(verb);
		if (name == null) {
			name = routeTimerName(verb, routeName(pattern));
			byVerb.put(verb, name);
		}
		return name;
	}

	private String routeTimerName(String verb, String route) {
		return this.base + ".route." + verb + "." + route + ".time";
	}

	/**
	 * The name of a route template: slashes at both ends are stripped, every remaining
	 * {@code /} becomes {@code _}, a template variable becomes its name ({@code {id}},
	 * {@code {id:\d+}} and {@code {*id}} all become {@code id}), a {@code **} segment
	 * becomes {@code all} and a {@code *} segment {@code any}, and then every character
	 * outside {@code [A-Za-z0-9_-]} becomes {@code _}. The root template {@code /} is
	 * {@code root}. For example {@code /users/{id}/orders} becomes
	 * {@code users_id_orders}. The raw request path is never used.
	 * @param pattern the route template
	 * @return the route name
	 */
	public static String routeName(String pattern) {
		StringBuilder name = new StringBuilder(pattern.length());
		for (String segment : pattern.split("/")) {
			if (segment.isEmpty()) {
				continue;
			}
			if (name.length() > 0) {
				name.append('_');
			}
			if (segment.equals("**")) {
				name.append("all");
			}
			else if (segment.equals("*")) {
				name.append("any");
			}
			else {
				appendSegment(name, segment);
			}
		}
		String sanitized = MetricNames.sanitize(name.toString().replace('.', '_'));
		return (sanitized != null) ? sanitized : "root";
	}

	private static void appendSegment(StringBuilder name, String segment) {
		int depth = 0;
		boolean skipping = false;
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			if (c == '{') {
				depth++;
				if (depth == 1) {
					skipping = false;
					if (i + 1 < segment.length() && segment.charAt(i + 1) == '*') {
						i++;
					}
					continue;
				}
			}
			else if (c == '}' && depth > 0) {
				depth--;
				if (depth == 0) {
					continue;
				}
			}
			else if (c == ':' && depth == 1) {
				skipping = true;
			}
			if (!skipping || depth == 0) {
				if (depth <= 1) {
					name.append(c);
				}
			}
		}
	}

	/** The simple name of the exception's class, or its full name when anonymous. */
	public static String simpleName(Throwable exception) {
		String name = exception.getClass().getSimpleName();
		return name.isEmpty() ? exception.getClass().getName() : name;
	}

}
