package io.heare.stats.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.RequestMapping;

import io.heare.stats.annotation.Counted;
import io.heare.stats.annotation.Timed;

/**
 * {@link BeanPostProcessor} that logs one warning at start-up naming every method whose
 * metrics annotation nothing will measure, with what to do about it:
 * <ul>
 * <li>heare's {@link Timed @Timed} and {@link Counted @Counted} where no proxy applies
 * them: private, static and final methods, methods of a final class, methods that a JDK
 * dynamic proxy does not expose, and beans left unproxied (for example with
 * {@code spring.aop.auto=false}); in a controller whose handler methods the request
 * filter measures (see {@link ControllerMethods}), methods that handle no request;</li>
 * <li>Micrometer's {@code io.micrometer.core.annotation.Timed} and {@code Counted} where
 * no Micrometer {@code TimedAspect} or {@code CountedAspect} applies them (an IDE
 * auto-import picks them easily).</li>
 * </ul>
 * heare's annotations are not reported when {@code heare.stats.aop.enabled} is false:
 * that setting turns their measuring off on purpose. Each bean class is inspected once;
 * beans created after start-up (lazy or prototype beans) get a warning of their own.
 * Beans are returned unchanged.
 *
 * @since 0.1.0
 */
public final class UnmeasuredMethodsWarner implements BeanPostProcessor, BeanClassLoaderAware, BeanFactoryAware,
		EnvironmentAware, SmartInitializingSingleton, Ordered {

	private static final Log logger = LogFactory.getLog(UnmeasuredMethodsWarner.class);

	private static final String MAKE_PROXYABLE = "make it a public, non-final instance method of a non-final "
			+ "class and call it through the Spring bean, not from the same object";

	private final Set<Class<?>> inspected = ConcurrentHashMap.newKeySet();

	private final List<String> found = new ArrayList<>();

	private final Map<Class<? extends Annotation>, String> micrometerAspects = new LinkedHashMap<>();

	private @Nullable ListableBeanFactory beanFactory;

	private @Nullable Environment environment;

	private ClassLoader classLoader = UnmeasuredMethodsWarner.class.getClassLoader();

	private boolean started;

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ListableBeanFactory listable) {
			this.beanFactory = listable;
		}
		addMicrometerAnnotation("io.micrometer.core.annotation.Timed", "TimedAspect");
		addMicrometerAnnotation("io.micrometer.core.annotation.Counted", "CountedAspect");
	}

	@SuppressWarnings("unchecked")
	private void addMicrometerAnnotation(String annotation, String aspect) {
		if (ClassUtils.isPresent(annotation, this.classLoader)) {
			this.micrometerAspects
				.put((Class<? extends Annotation>) ClassUtils.resolveClassName(annotation, this.classLoader), aspect);
		}
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AopInfrastructureBean) {
			return bean;
		}
		try {
			Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
			if (!type.getName().startsWith("org.springframework.") && this.inspected.add(type)) {
				List<String> unmeasured = inspect(type, new Proxying(bean));
				if (!unmeasured.isEmpty()) {
					report(unmeasured);
				}
			}
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Could not inspect " + beanName + " for metrics annotations", ex);
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> unmeasured;
		synchronized (this.found) {
			this.started = true;
			unmeasured = List.copyOf(this.found);
			this.found.clear();
		}
		if (!unmeasured.isEmpty()) {
			warn(unmeasured);
		}
	}

	private void report(List<String> unmeasured) {
		synchronized (this.found) {
			if (!this.started) {
				this.found.addAll(unmeasured);
				return;
			}
		}
		warn(unmeasured);
	}

	private static void warn(List<String> unmeasured) {
		logger.warn("Metrics annotations that nothing will measure:" + String.join("", unmeasured));
	}

	private List<String> inspect(Class<?> type, Proxying proxying) {
		List<String> unmeasured = new ArrayList<>();
		if (AnnotationUtils.isCandidateClass(type, List.of(Timed.class, Counted.class))) {
			inspectHeare(type, proxying, unmeasured);
		}
		this.micrometerAspects.forEach((annotation, aspect) -> {
			if (AnnotationUtils.isCandidateClass(type, annotation)) {
				inspectMicrometer(type, proxying, annotation, aspect, unmeasured);
			}
		});
		return unmeasured;
	}

	private void inspectHeare(Class<?> type, Proxying proxying, List<String> unmeasured) {
		if (!property("heare.stats.aop.enabled", true)) {
			return;
		}
		boolean onType = hasHeareAnnotation(type);
		if (ControllerMethods.isController(type) && hasBean(ControllerMethods.class.getName())) {
			inspectController(type, onType, unmeasured);
			return;
		}
		boolean finalType = Modifier.isFinal(type.getModifiers());
		String notProxied = (proxying.advisedByHeare() || finalType) ? null : heareNotProxied();
		doWithAnnotatedMethods(type, UnmeasuredMethodsWarner::hasHeareAnnotation, onType, (method, onMethod) -> {
			String reason = unproxiable(method, onMethod, finalType, proxying);
			if (reason == null) {
				reason = notProxied;
			}
			if (reason != null) {
				unmeasured.add(line(heareName(onMethod ? method : type), describe(type, method), reason));
			}
		});
	}

	// The request filter measures a controller's request handler methods, whatever their
	// modifiers, and nothing else of the controller.
	private static void inspectController(Class<?> type, boolean onType, List<String> unmeasured) {
		doWithAnnotatedMethods(type, UnmeasuredMethodsWarner::hasHeareAnnotation, onType, (method, onMethod) -> {
			if (!has(method, RequestMapping.class)) {
				unmeasured.add(line(heareName(onMethod ? method : type), describe(type, method),
						"the request filter measures a controller's request handler methods only, and the "
								+ "controller is not proxied; move the method to another bean"));
			}
		});
	}

	private void inspectMicrometer(Class<?> type, Proxying proxying, Class<? extends Annotation> annotation,
			String aspect, List<String> unmeasured) {
		boolean finalType = Modifier.isFinal(type.getModifiers());
		String notApplied = micrometerNotApplied(annotation, aspect, proxying);
		boolean onType = has(type, annotation);
		if (onType && notApplied != null) {
			unmeasured.add(line(annotation.getName(), type.getName(), notApplied));
			return;
		}
		doWithAnnotatedMethods(type, (method) -> has(method, annotation), onType, (method, onMethod) -> {
			String reason = (notApplied != null) ? notApplied : unproxiable(method, onMethod, finalType, proxying);
			if (reason != null) {
				unmeasured.add(line(annotation.getName(), describe(type, method), reason));
			}
		});
	}

	/**
	 * Why no proxy applies heare's advice to a bean of a non-final class.
	 */
	private String heareNotProxied() {
		if (!property("spring.aop.auto", true)) {
			return "spring.aop.auto is false, so Spring Boot creates no proxies; remove spring.aop.auto=false";
		}
		if (!hasBean("io.heare.stats.client.StatsClient")) {
			return "there is no StatsClient bean to record into, so heare's advice is not applied; keep "
					+ "HeareStatsAutoConfiguration enabled, or define a StatsClient bean";
		}
		return "the bean is not proxied: keep Spring Boot's AopAutoConfiguration and heare's "
				+ "HeareStatsAopAutoConfiguration enabled, and do not create the bean early (from a "
				+ "BeanPostProcessor, for example)";
	}

	private @Nullable String micrometerNotApplied(Class<? extends Annotation> annotation, String aspect,
			Proxying proxying) {
		String simpleName = annotation.getSimpleName();
		if (!hasBean("io.micrometer.core.aop." + aspect)) {
			return "no Micrometer " + aspect + " is active; import io.heare.stats.annotation." + simpleName
					+ " instead, or add spring-boot-starter-aspectj and set "
					+ "management.observations.annotations.enabled=true";
		}
		if (!proxying.proxy()) {
			return "Micrometer's " + aspect + " is active but the bean is not proxied"
					+ (property("spring.aop.auto", true) ? "" : "; remove spring.aop.auto=false");
		}
		return null;
	}

	private static @Nullable String unproxiable(Method method, boolean onMethod, boolean finalType, Proxying proxying) {
		int modifiers = method.getModifiers();
		if (onMethod && Modifier.isPrivate(modifiers)) {
			return "Spring AOP proxies cannot intercept private methods; " + MAKE_PROXYABLE;
		}
		if (onMethod && Modifier.isStatic(modifiers)) {
			return "Spring AOP proxies cannot intercept static methods; " + MAKE_PROXYABLE;
		}
		if (Modifier.isFinal(modifiers)) {
			return "Spring AOP proxies cannot intercept final methods; " + MAKE_PROXYABLE;
		}
		if (finalType) {
			return "its class is final, so it cannot be proxied; " + MAKE_PROXYABLE;
		}
		if (proxying.jdkProxyWithout(method)) {
			return "the bean is a JDK dynamic proxy (spring.aop.proxy-target-class=false) and no interface it "
					+ "implements declares the method; declare it on an interface, or remove "
					+ "spring.aop.proxy-target-class=false";
		}
		return null;
	}

	private static void doWithAnnotatedMethods(Class<?> type, ReflectionUtils.MethodFilter annotated, boolean onType,
			AnnotatedMethodCallback callback) {
		ReflectionUtils.doWithMethods(type, (method) -> {
			int modifiers = method.getModifiers();
			boolean onMethod = annotated.matches(method);
			boolean coveredByType = onType && Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers);
			if (onMethod || coveredByType) {
				callback.accept(method, onMethod);
			}
		}, (method) -> !method.isBridge() && !method.isSynthetic() && method.getDeclaringClass() != Object.class);
	}

	private boolean hasBean(String typeName) {
		if (this.beanFactory == null || !ClassUtils.isPresent(typeName, this.classLoader)) {
			return false;
		}
		Class<?> type = ClassUtils.resolveClassName(typeName, this.classLoader);
		return this.beanFactory.getBeanNamesForType(type, true, false).length > 0;
	}

	private boolean property(String name, boolean defaultValue) {
		return (this.environment != null) ? this.environment.getProperty(name, Boolean.class, defaultValue)
				: defaultValue;
	}

	private static String line(String annotation, String element, String reason) {
		return System.lineSeparator() + " - @" + annotation + " on " + element + ": " + reason;
	}

	private static String heareName(AnnotatedElement element) {
		return has(element, Timed.class) ? Timed.class.getName() : Counted.class.getName();
	}

	private static String describe(Class<?> type, Method method) {
		StringBuilder description = new StringBuilder(type.getName()).append('.').append(method.getName()).append('(');
		Class<?>[] parameters = method.getParameterTypes();
		for (int i = 0; i < parameters.length; i++) {
			description.append((i > 0) ? ", " : "").append(parameters[i].getSimpleName());
		}
		return description.append(')').toString();
	}

	private static boolean hasHeareAnnotation(AnnotatedElement element) {
		return has(element, Timed.class) || has(element, Counted.class);
	}

	private static boolean has(AnnotatedElement element, Class<? extends Annotation> type) {
		return AnnotatedElementUtils.hasAnnotation(element, type);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@FunctionalInterface
	private interface AnnotatedMethodCallback {

		void accept(Method method, boolean onMethod);

	}

	/**
	 * How a bean is proxied, as the auto-proxy creators (which run before this
	 * post-processor) left it.
	 */
	private static final class Proxying {

		private final Object bean;

		Proxying(Object bean) {
			this.bean = bean;
		}

		boolean proxy() {
			return AopUtils.isAopProxy(this.bean);
		}

		boolean advisedByHeare() {
			if (this.bean instanceof Advised advised) {
				for (var advisor : advised.getAdvisors()) {
					if (advisor instanceof StatsAnnotationAdvisor) {
						return true;
					}
				}
			}
			return false;
		}

		boolean jdkProxyWithout(Method method) {
			if (!AopUtils.isJdkDynamicProxy(this.bean) || !(this.bean instanceof Advised advised)) {
				return false;
			}
			for (Class<?> proxied : advised.getProxiedInterfaces()) {
				if (ReflectionUtils.findMethod(proxied, method.getName(), method.getParameterTypes()) != null) {
					return false;
				}
			}
			return true;
		}

	}

}
