package io.heare.stats.web;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.heare.stats.client.Counter;
import io.heare.stats.client.Histogram;
import io.heare.stats.client.MetricNames;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.Timer;

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

	// Route template to its timers per method (indexed as METHODS), so that an exchange
	// on a known route costs one lookup and builds no string.
	private final ConcurrentHashMap<String, Timer[]> routeTimers = new ConcurrentHashMap<>();

	private final LongAdder uncachedRoutes = new LongAdder();

	private final AtomicBoolean routeCapLogged = new AtomicBoolean();

	// The client's metrics bound to their names, made on the first exchange.
	private volatile Bound bound;

	/**
	 * Creates metrics under {@code baseName}.
	 * @param client supplies the client to record into (asked once, on the first
	 * exchange)
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
		for (int status = 100; status < 600; status++) {
			this.statusNames[status] = this.base + ".requests.status." + status;
		}
	}

	/**
	 * Records one exchange, straight into the client through metrics bound to their names
	 * (no pipeline, no name lookup: nothing is allocated for an exchange on a known
	 * route). Never throws.
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
			Timer[] bucket;
			Bound bound = bound();
			if (pattern == null || (status == 404 && "/**".equals(pattern))) {
				bucket = (status >= 300 && status < 400) ? bound.redirection
						: (status == 404) ? bound.notFound : bound.unknown;
				if (status == 404) {
					// "No handler" is the NOT_FOUND bucket, not an application error.
					exception = null;
				}
			}
			else {
				bucket = null;
			}
			bound.total.incr();
			bound.methods[verb].incr();
			if (cancelled) {
				// The client went away: no status, size or time was served to anyone.
				bound.cancelled.incr();
				return;
			}
			if (status >= 100 && status < 600) {
				bound.statuses[status].incr();
			}
			if (status >= 500 || exception != null) {
				bound.error.incr();
				if (exception != null) {
					bound.client.incr(this.error + "." + simpleName(exception));
				}
			}
			else {
				bound.success.incr();
			}
			double millis = durationNanos / 1_000_000d;
			bound.responseTime.time(millis);
			if (size >= 0) {
				bound.responseSize.hist(size);
			}
			if (bucket != null) {
				bucket[verb].time(millis);
			}
			else {
				routeTimer(bound, verb, pattern, millis);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record HTTP server metrics", ex);
		}
	}

	private Bound bound() {
		Bound bound = this.bound;
		if (bound == null) {
			bound = new Bound(this.client.get());
			this.bound = bound;
		}
		return bound;
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

	private void routeTimer(Bound bound, int verb, String pattern, double millis) {
		Timer[] timers = this.routeTimers.get(pattern);
		if (timers == null) {
			if (this.routeTimers.size() >= MAX_CACHED_ROUTES) {
				this.uncachedRoutes.increment();
				if (this.routeCapLogged.compareAndSet(false, true)) {
					logger.warn("More than " + MAX_CACHED_ROUTES + " routes: the timer names of further routes are "
							+ "built for every request (a route template with a variable in a literal part?)");
				}
				bound.client.time(routeTimerName(METHODS[verb], routeName(pattern)), millis);
				return;
			}
			timers = this.routeTimers.computeIfAbsent(pattern, (key) -> routeTimers(bound.client, routeName(key)));
		}
		timers[verb].time(millis);
	}

	private Timer[] routeTimers(StatsClient client, String route) {
		Timer[] timers = new Timer[METHODS.length];
		for (int i = 0; i < METHODS.length; i++) {
			timers[i] = client.timer(routeTimerName(METHODS[i], route));
		}
		return timers;
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

	/**
	 * The metrics of one client, bound to their names. Binding records nothing: a name
	 * reaches the client with its first update.
	 */
	private final class Bound {

		final StatsClient client;

		final Counter total;

		final Counter success;

		final Counter error;

		final Counter cancelled;

		final Timer responseTime;

		final Histogram responseSize;

		final Counter[] methods = new Counter[METHODS.length];

		final Timer[] notFound;

		final Timer[] redirection;

		final Timer[] unknown;

		final Counter[] statuses = new Counter[600];

		Bound(StatsClient client) {
			this.client = client;
			this.total = client.counter(HttpServerMetrics.this.total);
			this.success = client.counter(HttpServerMetrics.this.success);
			this.error = client.counter(HttpServerMetrics.this.error);
			this.cancelled = client.counter(HttpServerMetrics.this.cancelled);
			this.responseTime = client.timer(HttpServerMetrics.this.responseTime);
			this.responseSize = client.histogram(HttpServerMetrics.this.responseSize);
			for (int i = 0; i < METHODS.length; i++) {
				this.methods[i] = client.counter(HttpServerMetrics.this.methodNames[i]);
			}
			this.notFound = routeTimers(client, NOT_FOUND);
			this.redirection = routeTimers(client, REDIRECTION);
			this.unknown = routeTimers(client, UNKNOWN);
			for (int status = 100; status < 600; status++) {
				this.statuses[status] = client.counter(HttpServerMetrics.this.statusNames[status]);
			}
		}

	}

	/** The simple name of the exception's class, or its full name when anonymous. */
	public static String simpleName(Throwable exception) {
		String name = exception.getClass().getSimpleName();
		return name.isEmpty() ? exception.getClass().getName() : name;
	}

}
