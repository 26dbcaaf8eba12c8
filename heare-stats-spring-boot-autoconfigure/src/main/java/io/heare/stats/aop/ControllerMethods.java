package io.heare.stats.aop;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;

import io.heare.stats.annotation.Counted;
import io.heare.stats.annotation.Timed;
import io.heare.stats.client.StatsClient;

/**
 * Records {@link Timed @Timed} and {@link Counted @Counted} for the handler methods of
 * {@link Controller @Controller} beans from the request filter, in place of a proxy: the
 * filter already times the request and knows which handler method served it, and a proxy
 * around a controller costs every request more than the metrics it records (a method
 * invocation object, boxed arguments and a cache lookup per call). When this is in use,
 * {@link StatsAnnotationAdvisor} leaves controllers alone.
 * <p>
 * A handler method's timer then measures the request it served, from the filter to the
 * response, including argument resolution and writing the body; its outcome is the
 * exception the request ended with, whether it escaped or an exception handler turned it
 * into a response. Requests rejected before the method ran (a body that could not be
 * read, for example) count as its errors, with that exception.
 *
 * @since 0.1.0
 */
public final class ControllerMethods {

	private static final Log logger = LogFactory.getLog(ControllerMethods.class);

	private final MethodMetricsResolver resolver;

	/**
	 * Creates controller method metrics that record into the client {@code client}
	 * supplies, which is asked for it on the first recorded request.
	 * @param client supplies the client to record into
	 */
	public ControllerMethods(Supplier<StatsClient> client) {
		this.resolver = new MethodMetricsResolver(client);
	}

	/**
	 * Whether {@code type} is a controller, whose handler methods the request filter
	 * measures.
	 * @param type a bean's class
	 * @return whether it is annotated with {@link Controller @Controller} (directly or as
	 * a meta-annotation, as {@code @RestController} is)
	 */
	public static boolean isController(Class<?> type) {
		return AnnotatedElementUtils.hasAnnotation(type, Controller.class);
	}

	/**
	 * Records one request that a handler method served. Never throws.
	 * @param method the handler method
	 * @param beanType the controller's class
	 * @param durationNanos how long the request took
	 * @param error the exception the request ended with, or {@code null}
	 */
	public void record(Method method, Class<?> beanType, long durationNanos, Throwable error) {
		try {
			MethodMetrics metrics = this.resolver.resolveHandler(method, beanType);
			if (metrics == null) {
				return;
			}
			if (error != null) {
				metrics.tookAndFailed(durationNanos, error);
			}
			else {
				metrics.took(durationNanos);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record controller method metrics", ex);
		}
	}

}
