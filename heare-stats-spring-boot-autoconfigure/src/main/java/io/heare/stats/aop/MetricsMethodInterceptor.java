package io.heare.stats.aop;

import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

/**
 * Measures one invocation of an annotated method. Results that complete later
 * ({@link CompletionStage}, Reactor {@code Mono} and {@code Flux}) are measured to their
 * completion, error or cancellation.
 */
final class MetricsMethodInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(MetricsMethodInterceptor.class);

	private static final boolean reactorPresent = ClassUtils.isPresent("reactor.core.publisher.Mono",
			MetricsMethodInterceptor.class.getClassLoader());

	private final MethodMetricsResolver resolver;

	MetricsMethodInterceptor(MethodMetricsResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		MethodMetrics metrics = this.resolver.resolve(invocation.getMethod(), targetClass);
		if (metrics == null) {
			return invocation.proceed();
		}
		long start = System.nanoTime();
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			metrics.failure(start, ex);
			throw ex;
		}
		return onResult(invocation, metrics, start, result);
	}

	private Object onResult(MethodInvocation invocation, MethodMetrics metrics, long start, Object result) {
		try {
			if (result instanceof CompletionStage<?> stage) {
				// Observe the stage the caller gets, so cancelling it is seen and nothing
				// changes.
				stage.whenComplete((value, error) -> {
					if (error != null) {
						metrics.failure(start, error);
					}
					else {
						metrics.success(start);
					}
				});
				return result;
			}
			if (reactorPresent && ReactorSupport.isReactive(result)) {
				Object measured = ReactorSupport.measure(result, metrics);
				if (invocation.getMethod().getReturnType().isInstance(measured)) {
					return measured;
				}
			}
			metrics.success(start);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not measure method result", ex);
		}
		return result;
	}

}
