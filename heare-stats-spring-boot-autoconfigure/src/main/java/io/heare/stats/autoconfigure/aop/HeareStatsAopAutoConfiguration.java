package io.heare.stats.autoconfigure.aop;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.function.SingletonSupplier;

import io.heare.stats.aop.StatsAnnotationAdvisor;
import io.heare.stats.aop.UnproxiableMethodsWarner;
import io.heare.stats.client.StatsClient;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@code @Timed} and
 * {@code @Counted} annotations. It contributes a Spring AOP advisor (no AspectJ weaving)
 * and makes sure an auto-proxy creator exists, honouring
 * {@code spring.aop.proxy-target-class} like Spring Boot's own AOP auto-configuration.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "io.heare.stats.autoconfigure.HeareStatsAutoConfiguration",
		"org.springframework.boot.autoconfigure.aop.AopAutoConfiguration" })
@ConditionalOnClass(name = "org.aspectj.weaver.Advice")
@ConditionalOnBean(StatsClient.class)
@ConditionalOnBooleanProperty(name = "heare.stats.aop.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HeareStatsAopProperties.class)
@Import(HeareStatsAopAutoConfiguration.AutoProxyRegistrar.class)
public final class HeareStatsAopAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static StatsAnnotationAdvisor heareStatsAnnotationAdvisor(ObjectProvider<StatsClient> statsClient) {
		return new StatsAnnotationAdvisor(SingletonSupplier.of(statsClient::getObject));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static UnproxiableMethodsWarner heareStatsUnproxiableMethodsWarner() {
		return new UnproxiableMethodsWarner();
	}

	/**
	 * Registers an infrastructure auto-proxy creator unless a stronger one is already
	 * registered, as {@code @EnableTransactionManagement} does.
	 */
	static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

		private Environment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			if (this.environment.getProperty("spring.aop.proxy-target-class", Boolean.class, Boolean.TRUE)) {
				AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
			}
		}

	}

}
