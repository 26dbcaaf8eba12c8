package io.heare.stats.autoconfigure;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * {@link ApplicationContextInitializer} that stops an application running a Spring Boot
 * generation this starter is not built for (Spring Boot 3 or older) with a message that
 * says so, instead of the {@link NoClassDefFoundError} its auto-configuration would meet
 * later.
 * <p>
 * Registered in {@code spring.factories} under a key every Spring Boot generation reads,
 * and written against types that every generation has, so that it loads where the rest of
 * the starter cannot.
 *
 * @author heare-stats
 * @since 0.1.0
 */
class SpringBootGenerationCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** A type that Spring Boot 4 introduced, absent from every older generation. */
	static final String SPRING_BOOT_4_TYPE = "org.springframework.boot.EnvironmentPostProcessor";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		check(ClassUtils.isPresent(SPRING_BOOT_4_TYPE, context.getClassLoader()), SpringBootVersion.getVersion());
	}

	static void check(boolean springBoot4, String version) {
		if (!springBoot4) {
			throw new IllegalStateException("heare-stats-spring-boot-starter needs Spring Boot 4.0 or 4.1, but this "
					+ "application runs Spring Boot " + ((version != null) ? version : "3 or older")
					+ ". Upgrade the application to Spring Boot 4, or remove the starter.");
		}
	}

}
