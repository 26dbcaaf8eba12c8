package io.heare.stats.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
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
 * caller gets: recording problems are logged at debug level and swallowed.
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
		this.resolver = new MethodMetricsResolver(client);
		this.pointcut = new AnnotatedMethodPointcut(this.resolver);
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

		AnnotatedMethodPointcut(MethodMetricsResolver resolver) {
			this.resolver = resolver;
			setClassFilter(ClassFilterImpl.INSTANCE);
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return !Modifier.isPrivate(method.getModifiers()) && this.resolver.resolve(method, targetClass) != null;
		}

	}

	private enum ClassFilterImpl implements ClassFilter {

		INSTANCE;

		@Override
		public boolean matches(Class<?> clazz) {
			// A final class cannot be subclassed: skip it (and warn at start-up) instead
			// of failing the application context.
			return !Modifier.isFinal(clazz.getModifiers()) || clazz.isInterface();
		}

	}

}
