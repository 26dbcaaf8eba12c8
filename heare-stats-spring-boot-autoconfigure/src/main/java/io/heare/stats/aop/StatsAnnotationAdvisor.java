package io.heare.stats.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.aopalliance.aop.Advice;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

import io.heare.stats.annotation.Counted;
import io.heare.stats.annotation.Timed;
import io.heare.stats.client.StatsClient;

/**
 * Spring AOP advisor that applies {@link Timed @Timed} and {@link Counted @Counted}. It
 * needs no AspectJ weaving: any auto-proxy creator that picks up advisor beans applies
 * it.
 * <p>
 * Like every proxy-based advice it only sees calls that go through the proxy: a bean that
 * calls its own annotated method ({@code this.method()}) is not measured, and neither are
 * private, static or final methods (see {@link UnmeasuredMethodsWarner}). Classes that
 * are final are skipped rather than failing to proxy. Metrics never change what the
 * caller gets: recording problems are logged at debug level and swallowed. Classes that
 * something else measures (in a Spring MVC application, controllers, whose handler
 * methods the request filter measures through {@link ControllerMethods}) are left
 * unproxied.
 *
 * @since 0.1.0
 */
public final class StatsAnnotationAdvisor extends AbstractPointcutAdvisor {

	private final transient MethodMetricsResolver resolver;

	private final transient Pointcut pointcut;

	private final transient Advice advice;

	/**
	 * Creates an advisor that records into the client {@code client} supplies, which is
	 * asked for it on the first recorded invocation.
	 * @param client supplies the client to record into
	 */
	public StatsAnnotationAdvisor(Supplier<StatsClient> client) {
		this(client, (type) -> false);
	}

	/**
	 * Creates an advisor that records into the client {@code client} supplies, which is
	 * asked for it on the first recorded invocation, and leaves alone the classes whose
	 * methods something else measures.
	 * @param client supplies the client to record into
	 * @param measuredElsewhere the classes not to advise, such as controllers whose
	 * handler methods the request filter measures (see {@link ControllerMethods})
	 * @since 0.1.0
	 */
	public StatsAnnotationAdvisor(Supplier<StatsClient> client, Predicate<Class<?>> measuredElsewhere) {
		this.resolver = new MethodMetricsResolver(client);
		this.pointcut = new AnnotatedMethodPointcut(this.resolver, measuredElsewhere);
		this.advice = new MetricsMethodInterceptor(this.resolver);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.advice;
	}

	private static final class AnnotatedMethodPointcut extends StaticMethodMatcherPointcut {

		private final MethodMetricsResolver resolver;

		AnnotatedMethodPointcut(MethodMetricsResolver resolver, Predicate<Class<?>> measuredElsewhere) {
			this.resolver = resolver;
			setClassFilter(new Classes(measuredElsewhere));
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return !Modifier.isPrivate(method.getModifiers()) && this.resolver.isAnnotated(method, targetClass);
		}

	}

	private record Classes(Predicate<Class<?>> measuredElsewhere) implements ClassFilter {

		@Override
		public boolean matches(Class<?> clazz) {
			// A final class cannot be subclassed: skip it (and warn at start-up) instead
			// of failing the application context.
			return (!Modifier.isFinal(clazz.getModifiers()) || clazz.isInterface())
					&& !this.measuredElsewhere.test(clazz);
		}

	}

}
