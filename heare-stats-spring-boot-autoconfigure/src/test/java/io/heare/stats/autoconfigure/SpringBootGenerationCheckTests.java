package io.heare.stats.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringBootGenerationCheck}. That it loads and speaks on a real Spring
 * Boot 3 application is checked by the starter's {@code unsupported-boot} consumer build.
 *
 * @author heare-stats
 */
class SpringBootGenerationCheckTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withInitializer(new SpringBootGenerationCheck());

	@Test
	void letsSpringBoot4Start() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void stopsAnOlderGenerationNamingWhatIsNeeded() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(EnvironmentPostProcessor.class))
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("heare-stats-spring-boot-starter needs Spring Boot 4.0 or 4.1, but this "
						+ "application runs Spring Boot ")
				.hasMessageEndingWith("Upgrade the application to Spring Boot 4, or remove the starter."));
	}

}
