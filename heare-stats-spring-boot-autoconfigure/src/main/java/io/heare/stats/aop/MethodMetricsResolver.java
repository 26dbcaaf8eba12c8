package io.heare.stats.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import io.heare.stats.annotation.Counted;
import io.heare.stats.annotation.Timed;
import io.heare.stats.client.StatsClient;

/**
 * Finds the {@link Timed @Timed} and {@link Counted @Counted} annotations that apply to a
 * method of a target class, and caches the resulting {@link MethodMetrics}.
 */
final class MethodMetricsResolver {

	private static final MethodMetrics NONE = new MethodMetrics(StatsClient::noop, null, null, false);

	private final Supplier<StatsClient> client;

	// Method, then target class: a call on a known method is looked up without allocating
	// a composite key. Both levels hold what the application's classes declare, so they
	// stay bounded.
	private final Map<Method, Map<Class<?>, MethodMetrics>> cache = new ConcurrentHashMap<>(256);

	// Handler methods by method alone: a handler method nearly always serves one bean
	// type, so that a request costs one lookup. Bounded by the application's handler
	// methods.
	private final Map<Method, Handler> handlers = new ConcurrentHashMap<>(64);

	// Handlers by the identity of their method; written without a lock (a handler's
	// fields are final, so one read from here is complete).
	private final Handler[] recentHandlers = new Handler[64];

	MethodMetricsResolver(Supplier<StatsClient> client) {
		this.client = client;
	}

	/**
	 * Whether {@code method} called on {@code targetClass} is annotated, for the
	 * pointcut, which asks about every method of every bean: only the annotated ones are
	 * cached. A cache of every method would hold thousands of them, overloads among them
	 * (which share a hash code), and the hash bins it then turns into trees make the JIT
	 * compile the tree lookup into every {@code ConcurrentHashMap.get} of the
	 * application, which keeps it from eliminating the lookup keys that Spring and the
	 * JDK allocate on every request.
	 * @return whether the method has metrics
	 */
	boolean isAnnotated(Method method, Class<?> targetClass) {
		MethodMetrics cached = cached(method, targetClass);
		if (cached != null) {
			return cached != NONE;
		}
		MethodMetrics computed = compute(method, targetClass);
		if (computed == NONE) {
			return false;
		}
		store(method, targetClass, computed);
		return true;
	}

	/**
	 * The metrics for {@code method} called on {@code targetClass}.
	 * @return the metrics, or {@code null} when the method is not annotated
	 */
	MethodMetrics resolve(Method method, Class<?> targetClass) {
		MethodMetrics metrics = cached(method, targetClass);
		if (metrics == null) {
			metrics = store(method, targetClass, compute(method, targetClass));
		}
		return (metrics != NONE) ? metrics : null;
	}

	/**
	 * The metrics for the handler method {@code method} of the controller
	 * {@code beanType}: {@link #resolve(Method, Class)} with a cache of one lookup for
	 * the first bean type a method is seen with.
	 * @return the metrics, or {@code null} when the method is not annotated
	 */
	MethodMetrics resolveHandler(Method method, Class<?> beanType) {
		// A handler method is the same Method object on every request, so a slot found
		// by its identity usually holds it: fewer memory reads than the map's, whose
		// lines (and those of the class and names Method.hashCode reads) a request's
		// worth of other work has evicted.
		Handler[] recent = this.recentHandlers;
		int slot = System.identityHashCode(method) & (recent.length - 1);
		Handler handler = recent[slot];
		if (handler == null || handler.method != method) {
			handler = this.handlers.get(method);
			if (handler != null) {
				recent[slot] = handler;
			}
		}
		if (handler != null && handler.beanType == beanType) {
			return handler.metrics;
		}
		MethodMetrics metrics = resolve(method, beanType);
		if (handler == null && beanType != null) {
			this.handlers.putIfAbsent(method, new Handler(method, beanType, metrics));
		}
		return metrics;
	}

	private MethodMetrics cached(Method method, Class<?> targetClass) {
		Map<Class<?>, MethodMetrics> byTarget = this.cache.get(method);
		return (byTarget != null) ? byTarget.get(key(targetClass)) : null;
	}

	// The first metrics stored for a method and target win, so that every call records
	// into the same instance.
	private MethodMetrics store(Method method, Class<?> targetClass, MethodMetrics metrics) {
		MethodMetrics stored = this.cache.computeIfAbsent(method, (k) -> new ConcurrentHashMap<>(4))
			.putIfAbsent(key(targetClass), metrics);
		return (stored != null) ? stored : metrics;
	}

	// A ConcurrentHashMap takes no null key: an invocation without a target uses Void.
	private static Class<?> key(Class<?> targetClass) {
		return (targetClass != null) ? targetClass : Void.class;
	}

	private MethodMetrics compute(Method method, Class<?> targetClass) {
		if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
			return NONE;
		}
		Class<?> userClass = (targetClass != null) ? ClassUtils.getUserClass(targetClass) : method.getDeclaringClass();
		Method specific = AopUtils.getMostSpecificMethod(method, userClass);
		String timer = name(specific, userClass, Timed.class);
		String counter = name(specific, userClass, Counted.class);
		if (timer == null && counter == null) {
			return NONE;
		}
		boolean failuresOnly = false;
		if (counter != null) {
			Counted counted = findAnnotation(specific, userClass, Counted.class);
			failuresOnly = counted != null && counted.failuresOnly();
		}
		return new MethodMetrics(this.client, timer, counter, failuresOnly);
	}

	private static <A extends java.lang.annotation.Annotation> A findAnnotation(Method method, Class<?> type,
			Class<A> annotationType) {
		A onMethod = AnnotatedElementUtils.findMergedAnnotation(method, annotationType);
		if (onMethod != null) {
			return onMethod;
		}
		if (Modifier.isPublic(method.getModifiers())) {
			return AnnotatedElementUtils.findMergedAnnotation(type, annotationType);
		}
		return null;
	}

	private static String name(Method method, Class<?> type, Class<? extends java.lang.annotation.Annotation> kind) {
		java.lang.annotation.Annotation onMethod = AnnotatedElementUtils.findMergedAnnotation(method, kind);
		if (onMethod != null) {
			String value = value(onMethod);
			return StringUtils.hasText(value) ? value : type.getSimpleName() + "." + method.getName();
		}
		if (!Modifier.isPublic(method.getModifiers())) {
			return null;
		}
		java.lang.annotation.Annotation onType = AnnotatedElementUtils.findMergedAnnotation(type, kind);
		if (onType == null) {
			return null;
		}
		String value = value(onType);
		return (StringUtils.hasText(value) ? value : type.getSimpleName()) + "." + method.getName();
	}

	private static String value(java.lang.annotation.Annotation annotation) {
		return (annotation instanceof Timed timed) ? timed.value() : ((Counted) annotation).value();
	}

	/**
	 * A handler method, its bean type and its metrics ({@code null} when it has none).
	 */
	private static final class Handler {

		final Method method;

		final Class<?> beanType;

		final MethodMetrics metrics;

		Handler(Method method, Class<?> beanType, MethodMetrics metrics) {
			this.method = method;
			this.beanType = beanType;
			this.metrics = metrics;
		}

	}

	/** How many methods the cache holds. */
	int cachedMethods() {
		return this.cache.size();
	}

}
