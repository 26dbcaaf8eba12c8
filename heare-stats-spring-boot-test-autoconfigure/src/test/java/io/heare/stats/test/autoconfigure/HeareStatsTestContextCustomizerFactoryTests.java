package io.heare.stats.test.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.InMemoryStatsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link HeareStatsTestContextCustomizerFactory}.
 */
class HeareStatsTestContextCustomizerFactoryTests {

	private final HeareStatsTestContextCustomizerFactory factory = new HeareStatsTestContextCustomizerFactory();

	@Test
	void testClassesThatSayTheSameShareACachedContext() {
		assertThat(customizer(NoAnnotation.class)).isEqualTo(customizer(OtherNoAnnotation.class))
			.hasSameHashCodeAs(customizer(OtherNoAnnotation.class));
		assertThat(customizer(InMemory.class)).isEqualTo(customizer(InheritsInMemory.class));
		assertThat(customizer(Export.class)).isNotEqualTo(customizer(InMemory.class))
			.isNotEqualTo(customizer(NoAnnotation.class));
		assertThat(customizer(InMemory.class)).isNotEqualTo(customizer(NoAnnotation.class));
	}

	@Test
	void withoutTheAnnotationTheContextGetsTheInMemoryClient() {
		assertThat(clientIn(NoAnnotation.class)).isInstanceOf(InMemoryStatsClient.class);
	}

	@Test
	void withoutTheAnnotationThePropertyOptsIn() {
		assertThat(clientIn(NoAnnotation.class, "heare.stats.test.export=true")).isNull();
	}

	@Test
	void annotationWinsOverTheProperty() {
		assertThat(clientIn(InMemory.class, "heare.stats.test.export=true")).isInstanceOf(InMemoryStatsClient.class);
		assertThat(clientIn(Export.class, "heare.stats.test.export=false")).isNull();
	}

	private ContextCustomizer customizer(Class<?> testClass) {
		return this.factory.createContextCustomizer(testClass, List.of());
	}

	private StatsClient clientIn(Class<?> testClass, String... properties) {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, properties);
			customizer(testClass).customizeContext(context, mock(MergedContextConfiguration.class));
			assertThat(context.getBeanFactoryPostProcessors())
				.hasOnlyElementsOfType(BeanDefinitionRegistryPostProcessor.class);
			context.refresh();
			return context.getBeanProvider(StatsClient.class).getIfAvailable();
		}
	}

	static class NoAnnotation {

	}

	static class OtherNoAnnotation {

	}

	@AutoConfigureHeareStats
	static class InMemory {

	}

	static class InheritsInMemory extends InMemory {

	}

	@AutoConfigureHeareStats(export = true)
	static class Export {

	}

}
