package io.heare.stats.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;

import io.heare.stats.client.HttpSender;
import io.heare.stats.client.InvalidSettingException;
import io.heare.stats.client.StatsClientConfig.Setting;
import io.heare.stats.client.StatsClientConfig;

/**
 * Adapts {@link HeareStatsProperties} to the core's {@link StatsClientConfig}, so that
 * the core never sees Spring. It works from the core's declaration of each setting rather
 * than a list of its own: the setting {@code http.request_timeout} is the property
 * {@code heare.stats.http.request-timeout}, read from the properties' bean path
 * {@code http.requestTimeout}, and a setting the properties do not expose keeps the
 * core's default. Every {@link InvalidSettingException} it throws names the property.
 *
 * @author heare-stats
 */
final class HeareStatsPropertiesConfigAdapter {

	/** The prefix of every property that sets a core setting. */
	static final String PREFIX = "heare.stats.";

	// Spring leaves a placeholder it cannot resolve in the value, as written.
	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");

	private HeareStatsPropertiesConfigAdapter() {
	}

	/**
	 * The configuration that {@code properties} and then {@code customizers} describe.
	 * @param properties the properties
	 * @param customizers applied, in order, after the properties
	 * @param httpSender the HTTP transport, or {@code null} for the core's JDK transport
	 * @return the validated configuration
	 * @throws InvalidSettingException naming the property whose value cannot work
	 */
	static StatsClientConfig config(HeareStatsProperties properties, List<StatsClientConfigCustomizer> customizers,
			@Nullable HttpSender httpSender) {
		StatsClientConfig.Builder builder = StatsClientConfig.builder();
		BeanWrapper wrapper = new BeanWrapperImpl(properties);
		Map<String, String> placeholders = new HashMap<>();
		for (Setting<?> setting : StatsClientConfig.settings()) {
			String path = beanPath(setting);
			if (wrapper.isReadableProperty(path)) {
				Object value = wrapper.getPropertyValue(path);
				set(builder, setting, value);
				String placeholder = (value instanceof String text) ? unresolvedPlaceholder(text) : null;
				if (placeholder != null) {
					placeholders.put(setting.name(), placeholder);
				}
			}
		}
		if (placeholders.containsKey(StatsClientConfig.SECRET.name())) {
			// A secret that is not there is missing, not the placeholder's text.
			builder.secret(null);
		}
		// The application context closes the client after the web server has stopped; a
		// JVM hook could close it first and drop what in-flight requests still record.
		builder.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false);
		if (httpSender != null) {
			builder.httpSender(httpSender);
		}
		customizers.forEach((customizer) -> customizer.customize(builder));
		try {
			return builder.build();
		}
		catch (InvalidSettingException ex) {
			throw toProperty(ex, placeholders.get(ex.getSetting()));
		}
	}

	/**
	 * The property that sets a core setting.
	 * @param setting the core's setting name, for example {@code http.request_timeout}
	 * @return the property name, for example {@code heare.stats.http.request-timeout}
	 */
	static String propertyName(String setting) {
		return PREFIX + setting.replace('_', '-');
	}

	/**
	 * The core's setting behind a property.
	 * @param property a property name, for example {@code heare.stats.dest-port}
	 * @return the setting, or {@code null} when the property sets none
	 */
	static @Nullable Setting<?> setting(String property) {
		for (Setting<?> setting : StatsClientConfig.settings()) {
			if (propertyName(setting.name()).equals(property)) {
				return setting;
			}
		}
		return null;
	}

	static String beanPath(Setting<?> setting) {
		StringBuilder path = new StringBuilder();
		boolean upper = false;
		for (char c : setting.name().toCharArray()) {
			if (c == '_') {
				upper = true;
			}
			else {
				path.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return path.toString();
	}

	private static <T> void set(StatsClientConfig.Builder builder, Setting<T> setting, @Nullable Object value) {
		builder.set(setting, setting.type().cast(value));
	}

	private static @Nullable String unresolvedPlaceholder(@Nullable String value) {
		if (value == null) {
			return null;
		}
		Matcher matcher = PLACEHOLDER.matcher(value);
		return matcher.matches() ? matcher.group(1) : null;
	}

	private static InvalidSettingException toProperty(InvalidSettingException ex, @Nullable String placeholder) {
		String allowed = ex.getAllowed();
		if (placeholder != null) {
			allowed = allowed + "; its value ${" + placeholder + "} is a placeholder that nothing resolves: set the "
					+ (placeholder.equals(placeholder.toUpperCase(Locale.ROOT)) ? "environment variable " : "property ")
					+ placeholder;
		}
		InvalidSettingException translated = new InvalidSettingException(propertyName(ex.getSetting()), ex.getValue(),
				allowed);
		translated.initCause(ex);
		return translated;
	}

}
