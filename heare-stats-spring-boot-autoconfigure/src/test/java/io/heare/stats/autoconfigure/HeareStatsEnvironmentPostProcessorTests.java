package io.heare.stats.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.heare.stats.client.HttpClient;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareStatsEnvironmentPostProcessor}.
 */
class HeareStatsEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void mapsTheClientSettingsVariablesToProperties() {
		systemEnvironment(Map.of("STATS_CLIENT_SETTINGS__PROTOCOL", "UDP", "STATS_CLIENT_SETTINGS__DEST_HOST",
				"metrics.internal", "STATS_CLIENT_SETTINGS__DEST_PORT", "8125", "STATS_CLIENT_SETTINGS__SECRET",
				"s3cret", "STATS_CLIENT_SETTINGS__PREFIX", "myapp"));
		HeareStatsProperties properties = postProcessAndBind();
		assertThat(properties.getProtocol()).isEqualTo(Protocol.UDP);
		assertThat(properties.getDestHost()).isEqualTo("metrics.internal");
		assertThat(properties.getDestPort()).isEqualTo(8125);
		assertThat(properties.getSecret()).isEqualTo("s3cret");
		assertThat(properties.getPrefix()).isEqualTo("myapp");
	}

	@Test
	void recordsTheVariableAsTheOrigin() {
		systemEnvironment(Map.of("STATS_CLIENT_SETTINGS__DEST_PORT", "8125"));
		new HeareStatsEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		Origin origin = OriginLookup.getOrigin(
				this.environment.getPropertySources().get(HeareStatsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME),
				"heare.stats.dest-port");
		assertThat(origin).hasToString("environment variable 'STATS_CLIENT_SETTINGS__DEST_PORT'");
	}

	@Test
	void winsOverApplicationProperties() {
		systemEnvironment(Map.of("STATS_CLIENT_SETTINGS__DEST_HOST", "from-environment"));
		this.environment.getPropertySources()
			.addLast(new MapPropertySource("Config resource 'class path resource [application.properties]'",
					Map.of("heare.stats.dest-host", "from-application-properties", "heare.stats.dest-port", "80")));
		HeareStatsProperties properties = postProcessAndBind();
		assertThat(properties.getDestHost()).isEqualTo("from-environment");
		assertThat(properties.getDestPort()).isEqualTo(80);
	}

	@Test
	void losesToACommandLineArgument() {
		systemEnvironment(Map.of("STATS_CLIENT_SETTINGS__DEST_HOST", "from-environment"));
		this.environment.getPropertySources()
			.addFirst(new SimpleCommandLinePropertySource("--heare.stats.dest-host=from-command-line"));
		assertThat(postProcessAndBind().getDestHost()).isEqualTo("from-command-line");
	}

	@Test
	void losesToSpringsOwnEnvironmentVariable() {
		systemEnvironment(Map.of("STATS_CLIENT_SETTINGS__DEST_HOST", "from-client-settings", "HEARE_STATS_DESTHOST",
				"from-spring-form"));
		assertThat(postProcessAndBind().getDestHost()).isEqualTo("from-spring-form");
	}

	@Test
	void treatsABlankVariableAsNotSet() {
		systemEnvironment(Map.of("STATS_CLIENT_SETTINGS__DEST_HOST", " "));
		new HeareStatsEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(
				this.environment.getPropertySources().contains(HeareStatsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	@Test
	void configuresTheAutoConfiguredClient() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HeareStatsAutoConfiguration.class))
			.withInitializer((context) -> {
				ConfigurableEnvironment environment = context.getEnvironment();
				environment.getPropertySources()
					.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							new SystemEnvironmentPropertySource(
									StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
									Map.of("STATS_CLIENT_SETTINGS__DEST_HOST", "127.0.0.1",
											"STATS_CLIENT_SETTINGS__DEST_PORT", "9", "STATS_CLIENT_SETTINGS__SECRET",
											"s3cret", "STATS_CLIENT_SETTINGS__PREFIX", "env")));
				new HeareStatsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
			})
			.run((context) -> assertThat(context).getBean(StatsClient.class)
				.isInstanceOf(HttpClient.class)
				.hasToString("HttpClient[http://127.0.0.1:9/http, prefix=env]"));
	}

	@Test
	void isRegisteredWithSpringBoot() {
		systemEnvironment(Map.of("STATS_CLIENT_SETTINGS__DEST_HOST", "from-environment",
				"STATS_CLIENT_SETTINGS__PREFIX", "from-environment"));
		SpringApplication application = new SpringApplication(PropertiesConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(this.environment);
		try (ConfigurableApplicationContext context = application.run("--heare.stats.prefix=from-command-line")) {
			HeareStatsProperties properties = context.getBean(HeareStatsProperties.class);
			assertThat(properties.getDestHost()).isEqualTo("from-environment");
			assertThat(properties.getPrefix()).isEqualTo("from-command-line");
		}
	}

	private void systemEnvironment(Map<String, Object> variables) {
		this.environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
	}

	private HeareStatsProperties postProcessAndBind() {
		new HeareStatsEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		return Binder.get(this.environment).bindOrCreate("heare.stats", HeareStatsProperties.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HeareStatsProperties.class)
	static class PropertiesConfiguration {

	}

}
