package io.heare.stats.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import io.heare.stats.annotation.Counted;
import io.heare.stats.annotation.Timed;

/**
 * {@link BeanPostProcessor} that logs one warning per {@link Timed @Timed} or
 * {@link Counted @Counted} method that a Spring AOP proxy cannot intercept: private,
 * static and final methods, and every annotated method of a final class. Each bean class
 * is inspected once; beans are returned unchanged.
 *
 * @since 0.1.0
 */
public final class UnproxiableMethodsWarner implements BeanPostProcessor, Ordered {

	private static final Log logger = LogFactory.getLog(UnproxiableMethodsWarner.class);

	private final Set<Class<?>> inspected = ConcurrentHashMap.newKeySet();

	private final Map<Method, Boolean> warned = new ConcurrentHashMap<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		try {
			Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
			if (this.inspected.add(type) && !type.getName().startsWith("org.springframework.")) {
				inspect(type);
			}
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Could not inspect " + beanName + " for @Timed/@Counted methods", ex);
		}
		return bean;
	}

	private void inspect(Class<?> type) {
		boolean annotatedType = isAnnotated(type);
		boolean finalType = Modifier.isFinal(type.getModifiers());
		ReflectionUtils.doWithMethods(type, (method) -> {
			int modifiers = method.getModifiers();
			boolean annotatedMethod = isAnnotated(method);
			boolean coveredByType = annotatedType && Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers)
					&& method.getDeclaringClass() != Object.class;
			if (!annotatedMethod && !coveredByType) {
				return;
			}
			String reason = reason(modifiers, annotatedMethod, finalType);
			if (reason != null && this.warned.putIfAbsent(method, Boolean.TRUE) == null) {
				logger.warn("@Timed/@Counted on " + method.toGenericString() + " has no effect: " + reason
						+ ". Make it a public, non-final instance method of a non-final class and call it through "
						+ "the Spring bean, not from the same object.");
			}
		}, (method) -> !method.isBridge() && !method.isSynthetic());
	}

	private static String reason(int modifiers, boolean annotatedMethod, boolean finalType) {
		if (annotatedMethod && Modifier.isPrivate(modifiers)) {
			return "Spring AOP proxies cannot intercept private methods";
		}
		if (annotatedMethod && Modifier.isStatic(modifiers)) {
			return "Spring AOP proxies cannot intercept static methods";
		}
		if (Modifier.isFinal(modifiers)) {
			return "Spring AOP proxies cannot intercept final methods";
		}
		if (finalType) {
			return "its class is final, so it cannot be proxied";
		}
		return null;
	}

	private static boolean isAnnotated(java.lang.reflect.AnnotatedElement element) {
		return has(element, Timed.class) || has(element, Counted.class);
	}

	private static boolean has(java.lang.reflect.AnnotatedElement element, Class<? extends Annotation> type) {
		return AnnotatedElementUtils.hasAnnotation(element, type);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
