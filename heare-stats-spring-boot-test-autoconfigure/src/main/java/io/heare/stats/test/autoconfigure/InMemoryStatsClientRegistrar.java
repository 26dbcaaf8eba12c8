package io.heare.stats.test.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.Environment;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.InMemoryStatsClient;

/**
 * Registers the test context's {@link InMemoryStatsClient} as {@code heareStatsClient}
 * before any configuration class is read, so that the auto-configured network client
 * backs off and the request filter and method advice find this one. A {@link StatsClient}
 * bean the application defines itself is replaced by it too (its name becomes an alias),
 * so that no client in the test context sends. Does nothing when the test opted in to
 * sending.
 * <p>
 * Added to the context directly rather than as a bean, which makes it run before Spring's
 * configuration class processing, and its
 * {@link #postProcessBeanFactory(ConfigurableListableBeanFactory)} after it.
 *
 * @author heare-stats
 */
final class InMemoryStatsClientRegistrar implements BeanDefinitionRegistryPostProcessor {

	/** The name of the client bean, the one the auto-configuration uses. */
	static final String BEAN_NAME = "heareStatsClient";

	private static final Log logger = LogFactory.getLog(InMemoryStatsClientRegistrar.class);

	private final Environment environment;

	private final @Nullable Boolean export;

	InMemoryStatsClientRegistrar(Environment environment, @Nullable Boolean export) {
		this.environment = environment;
		this.export = export;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		if (exports()) {
			return;
		}
		if (registry.containsBeanDefinition(BEAN_NAME)) {
			registry.removeBeanDefinition(BEAN_NAME);
		}
		RootBeanDefinition definition = new RootBeanDefinition(InMemoryStatsClient.class,
				() -> new InMemoryStatsClient(this.environment.getProperty("heare.stats.prefix")));
		registry.registerBeanDefinition(BEAN_NAME, definition);
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (exports() || !(beanFactory instanceof BeanDefinitionRegistry registry)) {
			return;
		}
		for (String name : beanFactory.getBeanNamesForType(StatsClient.class, true, false)) {
			if (!name.equals(BEAN_NAME) && registry.containsBeanDefinition(name)) {
				registry.removeBeanDefinition(name);
				registry.registerAlias(BEAN_NAME, name);
				logger.info("StatsClient bean '" + name + "' is replaced by an InMemoryStatsClient in this test;"
						+ " @AutoConfigureHeareStats(export = true) keeps it");
			}
		}
	}

	private boolean exports() {
		if (this.export != null) {
			return this.export;
		}
		return this.environment.getProperty(HeareStatsTestContextCustomizerFactory.EXPORT_PROPERTY, Boolean.class,
				false);
	}

}
