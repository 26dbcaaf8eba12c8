package io.heare.stats.web;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.function.SingletonSupplier;

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
 * <li>{@code B.response.time} (timer, ms), and {@code B.response.size} (histogram, bytes,
 * when the size is known) if asked for;
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

	private static final VarHandle TABLES = MethodHandles.arrayElementVarHandle(Table[].class);

	/**
	 * Routes whose metrics are kept; the timer names of any further route are built per
	 * exchange.
	 */
	static final int MAX_CACHED_ROUTES = 2048;

	/**
	 * Statuses and outcomes per route and method whose metrics are recorded as one group;
	 * any further one records each metric on its own.
	 */
	static final int MAX_GROUPS_PER_ROUTE = 32;

	private final String base;

	private final String total;

	private final String success;

	private final String error;

	private final String cancelled;

	private final String responseTime;

	private final String responseSize;

	private final boolean recordsResponseSize;

	private final String[] methodNames = new String[METHODS.length];

	private final String[] statusNames = new String[600];

	private final LongAdder uncachedRoutes = new LongAdder();

	private final AtomicBoolean routeCapLogged = new AtomicBoolean();

	// The client's metrics bound to their names, made on the first exchange.
	private final SingletonSupplier<Bound> bound;

	// Routes by the identity of their pattern string; written without a lock (a route's
	// fields are final, so a route read from here is complete). Here rather than in the
	// bound metrics, so that an exchange on a recent route reads neither them nor the
	// supplier: every object on the way is a cache line that a request's other work has
	// evicted since the last exchange.
	private final Route[] recentRoutes = new Route[64];

	/**
	 * Creates metrics under {@code baseName}, without the response size.
	 * @param client supplies the client to record into (asked once, on the first
	 * exchange)
	 * @param baseName the base name, sanitized; {@code http.server} when blank
	 */
	public HttpServerMetrics(Supplier<StatsClient> client, String baseName) {
		this(client, baseName, false);
	}

	/**
	 * Creates metrics under {@code baseName}.
	 * @param client supplies the client to record into (asked once, on the first
	 * exchange)
	 * @param baseName the base name, sanitized; {@code http.server} when blank
	 * @param recordsResponseSize whether to record the response size histogram
	 */
	public HttpServerMetrics(Supplier<StatsClient> client, String baseName, boolean recordsResponseSize) {
		this.recordsResponseSize = recordsResponseSize;
		this.bound = SingletonSupplier.of(() -> new Bound(client.get()));
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
	 * Whether the response size histogram is recorded: when it is not, a request filter
	 * need not find the size out.
	 * @return whether {@link #record} records the size it is given
	 */
	public boolean recordsResponseSize() {
		return this.recordsResponseSize;
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
	 * @param size the response body size in bytes, or a negative value when unknown;
	 * ignored unless {@link #recordsResponseSize()}
	 */
	public void record(String method, int status, String pattern, Throwable exception, boolean cancelled,
			long durationNanos, long size) {
		try {
			int verb = methodIndex(method);
			Route route;
			if (pattern == null || (status == 404 && "/**".equals(pattern))) {
				Bound bound = this.bound.obtain();
				route = (status >= 300 && status < 400) ? bound.redirection
						: (status == 404) ? bound.notFound : bound.unknown;
				if (status == 404) {
					// "No handler" is the NOT_FOUND bucket, not an application error.
					exception = null;
				}
			}
			else {
				route = route(pattern, verb, status, isError(status, exception));
			}
			if (cancelled) {
				// The client went away: no status, size or time was served to anyone.
				Bound bound = this.bound.obtain();
				bound.total.incr();
				bound.methods[verb].incr();
				bound.cancelled.incr();
				return;
			}
			boolean error = isError(status, exception);
			if (exception != null) {
				this.bound.obtain().client.incr(this.error + "." + simpleName(exception));
			}
			double millis = durationNanos / 1_000_000d;
			Histogram responseSize;
			if (route != null) {
				route.exchange(verb, status, error).time(millis);
				responseSize = route.responseSize;
			}
			else {
				Bound bound = this.bound.obtain();
				recordEach(bound, verb, status, error, millis);
				bound.client.time(routeTimerName(METHODS[verb], routeName(pattern)), millis);
				responseSize = bound.responseSize;
			}
			if (size >= 0 && this.recordsResponseSize) {
				responseSize.hist(size);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record HTTP server metrics", ex);
		}
	}

	// The exchange's metrics but its route timer, each on its own.
	private static void recordEach(Bound bound, int verb, int status, boolean error, double millis) {
		bound.total.incr();
		bound.methods[verb].incr();
		if (status >= 100 && status < 600) {
			bound.statuses[status].incr();
		}
		(error ? bound.error : bound.success).incr();
		bound.responseTime.time(millis);
	}

	/**
	 * How many exchanges had their route timer name built on the spot because
	 * {@value #MAX_CACHED_ROUTES} routes were already cached.
	 * @return the count since start
	 */
	public long uncachedRouteLookups() {
		return this.uncachedRoutes.sum();
	}

	// A switch rather than a loop over METHODS: it reads the request's method string
	// only, not the strings it would be compared with. Tomcat, and Spring's HttpMethod in
	// WebFlux, hand over the standard methods as string constants, the same instances as
	// these literals, so the commonest two are first found by identity, without reading
	// the string at all.
	@SuppressWarnings("StringEquality")
	static int methodIndex(String method) {
		if (method == "GET") {
			return 0;
		}
		if (method == "POST") {
			return 2;
		}
		if (method == null) {
			return OTHER;
		}
		return switch (method) {
			case "GET" -> 0;
			case "HEAD" -> 1;
			case "POST" -> 2;
			case "PUT" -> 3;
			case "PATCH" -> 4;
			case "DELETE" -> 5;
			case "OPTIONS" -> 6;
			case "TRACE" -> 7;
			case "CONNECT" -> 8;
			default -> OTHER;
		};
	}

	private static boolean isError(int status, Throwable exception) {
		return status >= 500 || exception != null;
	}

	// The route's metrics, or null past the cap of routes. A route is made with the
	// group of the exchange that first takes it, which it then finds first.
	private Route route(String pattern, int verb, int status, boolean error) {
		// Spring MVC hands over the same pattern string on every request of a route, so
		// a slot found by its identity usually holds the route: two memory reads where
		// the map takes four or five that a request's worth of other work has evicted.
		Route[] recent = this.recentRoutes;
		int slot = System.identityHashCode(pattern) & (recent.length - 1);
		Route cached = recent[slot];
		if (cached != null && cached.pattern == pattern) {
			return cached;
		}
		Bound bound = this.bound.obtain();
		Route route = bound.routes.get(pattern);
		if (route != null) {
			recent[slot] = route;
		}
		else {
			if (bound.routes.size() >= MAX_CACHED_ROUTES) {
				this.uncachedRoutes.increment();
				if (this.routeCapLogged.compareAndSet(false, true)) {
					logger.warn("More than " + MAX_CACHED_ROUTES + " routes: the timer names of further routes are "
							+ "built for every request (a route template with a variable in a literal part?)");
				}
				return null;
			}
			route = bound.routes.computeIfAbsent(pattern,
					(key) -> new Route(bound, key, routeName(key), verb, status, error));
		}
		return route;
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

		final Counter[] statuses = new Counter[600];

		// Route template to its metrics, so that an exchange on a known route costs one
		// lookup and builds no string.
		final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

		final Route notFound;

		final Route redirection;

		final Route unknown;

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
			for (int status = 100; status < 600; status++) {
				this.statuses[status] = client.counter(HttpServerMetrics.this.statusNames[status]);
			}
			this.notFound = new Route(this, NOT_FOUND);
			this.redirection = new Route(this, REDIRECTION);
			this.unknown = new Route(this, UNKNOWN);
		}

	}

	/**
	 * One route's metrics: per method, the exchanges of each status and outcome seen so
	 * far as one group of the client (the route's and the response's timers, and the
	 * counters of the total, the method, the status and the outcome), so that an exchange
	 * is one update of the client. The group of the exchange that made the route (nearly
	 * always the method and status of all of its exchanges) is held in the route itself,
	 * beside the response size histogram: an exchange like it reads no other object of
	 * this class.
	 */
	private final class Route {

		private final Bound bound;

		// The route template, or null for a bucket.
		private final String pattern;

		private final String name;

		// The method and key of the first group, or -1 for a bucket.
		private final int firstVerb;

		private final int firstKey;

		private final Timer first;

		private final Histogram responseSize;

		// Per method, the groups by status and outcome; each table is copied on write
		// under the route's lock and read through TABLES.
		private final Table[] byMethod = new Table[METHODS.length];

		// A bucket, made before any exchange: it has no first group.
		Route(Bound bound, String name) {
			this(bound, null, name, -1, 0, false);
		}

		// A route with verb -1 is a bucket.
		Route(Bound bound, String pattern, String name, int verb, int status, boolean error) {
			this.bound = bound;
			this.pattern = pattern;
			this.name = name;
			this.responseSize = bound.responseSize;
			Arrays.fill(this.byMethod, Table.EMPTY);
			if (verb >= 0) {
				int key = key(status, error);
				this.first = newGroup(verb, status, error);
				this.byMethod[verb] = Table.EMPTY.with(key, this.first);
				this.firstVerb = verb;
				this.firstKey = key;
			}
			else {
				this.first = null;
				this.firstVerb = -1;
				this.firstKey = -1;
			}
		}

		private static int key(int status, boolean error) {
			return ((status >= 100 && status < 600) ? status : 0) * 2 + (error ? 1 : 0);
		}

		Timer exchange(int verb, int status, boolean error) {
			int key = key(status, error);
			if (key == this.firstKey && verb == this.firstVerb) {
				return this.first;
			}
			Timer group = ((Table) TABLES.getAcquire(this.byMethod, verb)).find(key);
			return (group != null) ? group : add(verb, key, status, error);
		}

		private synchronized Timer add(int verb, int key, int status, boolean error) {
			Table table = this.byMethod[verb];
			Timer found = table.find(key);
			if (found != null) {
				return found;
			}
			Timer created = newGroup(verb, status, error);
			if (table.keys.length < MAX_GROUPS_PER_ROUTE) {
				TABLES.setRelease(this.byMethod, verb, table.with(key, created));
			}
			return created;
		}

		private Timer newGroup(int verb, int status, boolean error) {
			List<String> counters = new ArrayList<>(4);
			counters.add(HttpServerMetrics.this.total);
			counters.add(HttpServerMetrics.this.methodNames[verb]);
			if (status >= 100 && status < 600) {
				counters.add(HttpServerMetrics.this.statusNames[status]);
			}
			counters.add(error ? HttpServerMetrics.this.error : HttpServerMetrics.this.success);
			return this.bound.client.timer(
					List.of(HttpServerMetrics.this.responseTime, routeTimerName(METHODS[verb], this.name)), counters);
		}

	}

	/**
	 * The groups of one route and method by status and outcome, never changed once
	 * published. The first group (nearly always the status every exchange of the route
	 * has) is found without reading the arrays.
	 */
	private record Table(int firstKey, Timer first, int[] keys, Timer[] timers) {

		static final Table EMPTY = new Table(-1, null, new int[0], new Timer[0]);

		Timer find(int key) {
			if (key == this.firstKey) {
				return this.first;
			}
			for (int i = 1; i < this.keys.length; i++) {
				if (this.keys[i] == key) {
					return this.timers[i];
				}
			}
			return null;
		}

		Table with(int key, Timer timer) {
			int[] keys = Arrays.copyOf(this.keys, this.keys.length + 1);
			keys[keys.length - 1] = key;
			Timer[] timers = Arrays.copyOf(this.timers, this.timers.length + 1);
			timers[timers.length - 1] = timer;
			return new Table(keys[0], timers[0], keys, timers);
		}

	}

	/** The simple name of the exception's class, or its full name when anonymous. */
	public static String simpleName(Throwable exception) {
		String name = exception.getClass().getSimpleName();
		return name.isEmpty() ? exception.getClass().getName() : name;
	}

}
