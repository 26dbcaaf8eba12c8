package io.heare.stats.autoconfigure.aop;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.function.SingletonSupplier;

import io.heare.stats.aop.ControllerMethods;
import io.heare.stats.aop.StatsAnnotationAdvisor;
import io.heare.stats.aop.UnmeasuredMethodsWarner;
import io.heare.stats.client.StatsClient;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@code @Timed} and
 * {@code @Counted} annotations. It contributes a Spring AOP advisor, which needs no
 * AspectJ, with the infrastructure role, so that the auto-proxy creator Spring Boot's
 * {@link AopAutoConfiguration} registers applies it whether AspectJ is present or not;
 * {@code spring.aop.auto=false} turns it off with the rest of Spring Boot's
 * auto-proxying. It also registers the {@link UnmeasuredMethodsWarner}, which names at
 * start-up the methods whose metrics annotations nothing will measure.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = AopAutoConfiguration.class,
		afterName = "io.heare.stats.autoconfigure.HeareStatsAutoConfiguration")
@EnableConfigurationProperties(HeareStatsAopProperties.class)
public final class HeareStatsAopAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static UnmeasuredMethodsWarner heareStatsUnmeasuredMethodsWarner() {
		return new UnmeasuredMethodsWarner();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(StatsClient.class)
	@ConditionalOnBooleanProperty(name = "heare.stats.aop.enabled", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "spring.aop.auto", matchIfMissing = true)
	static class AdvisorConfiguration {

		// The infrastructure role is what Spring Boot's auto-proxy creator without
		// AspectJ (InfrastructureAdvisorAutoProxyCreator) looks for; with AspectJ every
		// advisor applies.
		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		static StatsAnnotationAdvisor heareStatsAnnotationAdvisor(ObjectProvider<StatsClient> statsClient,
				ObjectProvider<ControllerMethods> controllerMethods) {
			// Whether a request filter measures controllers is known once every bean is
			// defined, which is before any bean is proxied.
			SingletonSupplier<Boolean> filterMeasuresControllers = SingletonSupplier
				.of(() -> controllerMethods.getIfAvailable() != null);
			return new StatsAnnotationAdvisor(SingletonSupplier.of(statsClient::getObject),
					(type) -> ControllerMethods.isController(type) && filterMeasuresControllers.obtain());
		}

		/**
		 * Without AspectJ and with {@code spring.aop.proxy-target-class=false}, Spring
		 * Boot leaves registering an auto-proxy creator to the features that need one, as
		 * {@code @EnableTransactionManagement} does: so does this one, with JDK dynamic
		 * proxies.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass("org.aspectj.weaver.Advice")
		@ConditionalOnBooleanProperty(name = "spring.aop.proxy-target-class", havingValue = false)
		@Import(InterfaceProxyingRegistrar.class)
		static class InterfaceProxyingConfiguration {

		}

	}

	static final class InterfaceProxyingRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		}

	}

}
