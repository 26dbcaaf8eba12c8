package io.heare.stats.test.autoconfigure;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

import io.heare.stats.test.InMemoryStatsClient;

/**
 * {@link ContextCustomizerFactory} that gives every Spring test context an
 * {@link InMemoryStatsClient} in place of a client that sends, unless the test opts in to
 * sending with {@link AutoConfigureHeareStats#export()} or the {@value #EXPORT_PROPERTY}
 * property.
 *
 * @author heare-stats
 */
class HeareStatsTestContextCustomizerFactory implements ContextCustomizerFactory {

	/**
	 * The property that opts a test in to sending metrics when the test class says
	 * nothing.
	 */
	static final String EXPORT_PROPERTY = "heare.stats.test.export";

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureHeareStats annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureHeareStats.class);
		return new InMemoryStatsClientContextCustomizer((annotation != null) ? annotation.export() : null);
	}

	/**
	 * Adds the {@link InMemoryStatsClientRegistrar} to the context.
	 */
	private static final class InMemoryStatsClientContextCustomizer implements ContextCustomizer {

		// From the annotation; null when the test class has none and the property
		// decides.
		private final @Nullable Boolean export;

		InMemoryStatsClientContextCustomizer(@Nullable Boolean export) {
			this.export = export;
		}

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			Environment environment = context.getEnvironment();
			context.addBeanFactoryPostProcessor(new InMemoryStatsClientRegistrar(environment, this.export));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return this == other || (other instanceof InMemoryStatsClientContextCustomizer customizer
					&& Objects.equals(this.export, customizer.export));
		}

		@Override
		public int hashCode() {
			return Objects.hashCode(this.export);
		}

	}

}
