package io.heare.stats.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.StringUtils;

import io.heare.stats.client.StatsClientConfig;

/**
 * {@link EnvironmentPostProcessor} that reads the Python client's environment variables
 * (those of {@link StatsClientConfig.Setting#environmentVariable()}, such as
 * {@code STATS_CLIENT_SETTINGS__DEST_HOST}) as {@code heare.stats.*} properties, so that
 * one deployment configures Python and Java services alike.
 * <p>
 * The values rank as environment variables: the property source is added right after the
 * system environment, above {@code application.properties} and below command-line
 * arguments and system properties. When both forms of a setting are set, Spring's own
 * form ({@code HEARE_STATS_DESTHOST}) wins over {@code STATS_CLIENT_SETTINGS__DEST_HOST},
 * because it names this application's property rather than a setting shared by every
 * client in the deployment. A blank variable counts as not set, as in the Python client.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class HeareStatsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source this post-processor adds.
	 */
	public static final String PROPERTY_SOURCE_NAME = "heareStatsClientSettings";

	/**
	 * Runs before config data is loaded, so that config files can refer to the values.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER - 1;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		MutablePropertySources propertySources = environment.getPropertySources();
		PropertySource<?> systemEnvironment = propertySources
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (systemEnvironment == null || propertySources.contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		for (StatsClientConfig.Setting<?> setting : StatsClientConfig.settings()) {
			String variable = setting.environmentVariable();
			Object value = (variable != null) ? systemEnvironment.getProperty(variable) : null;
			if (value != null && StringUtils.hasText(value.toString())) {
				properties.put(HeareStatsPropertiesConfigAdapter.propertyName(setting.name()),
						OriginTrackedValue.of(value, new EnvironmentVariableOrigin(variable)));
			}
		}
		if (!properties.isEmpty()) {
			propertySources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new OriginTrackedMapPropertySource(PROPERTY_SOURCE_NAME, properties, true));
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	private record EnvironmentVariableOrigin(String variable) implements Origin {

		@Override
		public String toString() {
			return "environment variable '" + this.variable + "'";
		}

	}

}
