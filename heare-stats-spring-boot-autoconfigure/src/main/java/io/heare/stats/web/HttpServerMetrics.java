package io.heare.stats.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.heare.stats.client.MetricNames;
import io.heare.stats.client.StatsClient;

/**
 * Records one HTTP server exchange, under a base name {@code B} (default
 * {@code http.server}):
 * <ul>
 * <li>{@code B.requests.total}, {@code B.requests.method.<METHOD>},
 * {@code B.requests.status.<code>} (counters);
 * <li>{@code B.requests.success}, or {@code B.requests.error} plus
 * {@code B.requests.error.<ExceptionSimpleName>}, or {@code B.requests.cancelled}
 * (counters);
 * <li>{@code B.response.time} (timer, ms), {@code B.response.size} (histogram, bytes,
 * when the size is known);
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

	// The standard methods, in the order of the name arrays below; anything else is
	// OTHER.
	private static final String[] METHODS = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
			"CONNECT", "OTHER" };

	private static final int OTHER = METHODS.length - 1;

	/**
	 * Routes whose timer names are kept; the timer names of any further route are built
	 * per exchange.
	 */
	static final int MAX_CACHED_ROUTES = 2048;

	private final Supplier<StatsClient> client;

	private final String base;

	private final String total;

	private final String success;

	private final String error;

	private final String cancelled;

	private final String responseTime;

	private final String responseSize;

	private final String[] methodNames = new String[METHODS.length];

	private final String[] statusNames = new String[600];

	// Route template to its timer name per method (indexed as METHODS), so that an
	// exchange on a known route costs one lookup and builds no string.
	private final ConcurrentHashMap<String, String[]> routeTimers = new ConcurrentHashMap<>();

	private final Map<String, String[]> bucketTimers = new HashMap<>();

	private final LongAdder uncachedRoutes = new LongAdder();

	private final AtomicBoolean routeCapLogged = new AtomicBoolean();

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
		for (int i = 0; i < METHODS.length; i++) {
			this.methodNames[i] = this.base + ".requests.method." + METHODS[i];
		}
		for (String bucket : List.of(NOT_FOUND, REDIRECTION, UNKNOWN)) {
			this.bucketTimers.put(bucket, routeTimerNames(bucket));
		}
		for (int status = 100; status < 600; status++) {
			this.statusNames[status] = this.base + ".requests.status." + status;
		}
	}

	/**
	 * Records one exchange, straight into the client (no pipeline: nothing is allocated
	 * for an exchange on a known route). Never throws.
	 * @param method the request method
	 * @param status the response status
	 * @param pattern the matched route template, or {@code null} when none matched
	 * @param exception the exception the exchange ended with, or {@code null}
	 * @param cancelled whether the client went away before the response completed; such
	 * an exchange counts only in the total, its method and {@code cancelled}
	 * @param durationNanos the time from the start of the exchange to its end
	 * @param size the response body size in bytes, or a negative value when unknown
	 */
	public void record(String method, int status, String pattern, Throwable exception, boolean cancelled,
			long durationNanos, long size) {
		try {
			int verb = methodIndex(method);
			String bucket;
			if (pattern == null || (status == 404 && "/**".equals(pattern))) {
				bucket = (status >= 300 && status < 400) ? REDIRECTION : (status == 404) ? NOT_FOUND : UNKNOWN;
				if (status == 404) {
					// "No handler" is the NOT_FOUND bucket, not an application error.
					exception = null;
				}
			}
			else {
				bucket = null;
			}
			StatsClient client = this.client.get();
			client.incr(this.total);
			client.incr(this.methodNames[verb]);
			if (cancelled) {
				// The client went away: no status, size or time was served to anyone.
				client.incr(this.cancelled);
				return;
			}
			if (status >= 100 && status < 600) {
				client.incr(this.statusNames[status]);
			}
			if (status >= 500 || exception != null) {
				client.incr(this.error);
				if (exception != null) {
					client.incr(this.error + "." + simpleName(exception));
				}
			}
			else {
				client.incr(this.success);
			}
			double millis = durationNanos / 1_000_000d;
			client.time(this.responseTime, millis);
			if (size >= 0) {
				client.hist(this.responseSize, size);
			}
			client.time(routeTimer(verb, pattern, bucket), millis);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record HTTP server metrics", ex);
		}
	}

	/**
	 * How many exchanges had their route timer name built on the spot because
	 * {@value #MAX_CACHED_ROUTES} routes were already cached.
	 * @return the count since start
	 */
	public long uncachedRouteLookups() {
		return this.uncachedRoutes.sum();
	}

	private static int methodIndex(String method) {
		if (method != null) {
			for (int i = 0; i < OTHER; i++) {
				if (METHODS[i].equals(method)) {
					return i;
				}
			}
		}
		return OTHER;
	}

	private String routeTimer(int verb, String pattern, String bucket) {
		if (bucket != null) {
			return this.bucketTimers.get(bucket)[verb];
		}
		String[] names = this.routeTimers.get(pattern);
		if (names == null) {
			if (this.routeTimers.size() >= MAX_CACHED_ROUTES) {
				this.uncachedRoutes.increment();
				if (this.routeCapLogged.compareAndSet(false, true)) {
					logger.warn("More than " + MAX_CACHED_ROUTES + " routes: the timer names of further routes are "
							+ "built for every request (a route template with a variable in a literal part?)");
				}
				return routeTimerName(METHODS[verb], routeName(pattern));
			}
			names = this.routeTimers.computeIfAbsent(pattern, (key) -> routeTimerNames(routeName(key)));
		}
		return names[verb];
	}

	private String[] routeTimerNames(String route) {
		String[] names = new String[METHODS.length];
		for (int i = 0; i < METHODS.length; i++) {
			names[i] = routeTimerName(METHODS[i], route);
		}
		return names;
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
