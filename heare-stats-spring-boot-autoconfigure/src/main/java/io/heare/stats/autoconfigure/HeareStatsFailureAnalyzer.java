package io.heare.stats.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

import io.heare.stats.client.InvalidSettingException;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.StatsClientConfig.Setting;

/**
 * {@link FailureAnalyzer} for a heare stats configuration the client cannot work with: an
 * {@link InvalidSettingException} from the client, or a {@code heare.stats.*} value that
 * does not convert (an unknown protocol, a port that is not a number). The analysis names
 * the property and what it accepts, and never shows the secret.
 * <p>
 * It runs before Boot's own bind failure analyzer, whose generic text does not list what
 * is allowed.
 *
 * @author heare-stats
 */
class HeareStatsFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final String PREFIX = HeareStatsPropertiesConfigAdapter.PREFIX;

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		InvalidSettingException invalidSetting = findCause(failure, InvalidSettingException.class);
		if (invalidSetting != null) {
			return analyze(invalidSetting);
		}
		BindException bindException = findCause(failure, BindException.class);
		if (bindException != null && bindException.getName().toString().startsWith(PREFIX)) {
			return analyze(bindException);
		}
		return null;
	}

	private FailureAnalysis analyze(InvalidSettingException ex) {
		String setting = ex.getSetting();
		String value = isSecret(setting) ? null : ex.getValue();
		String subject = setting.startsWith(PREFIX) ? "property '" + setting + "'" : "setting '" + setting + "'";
		String description = "The heare stats client cannot be created: " + ((value != null)
				? "the value '" + value + "' of " + subject + " is invalid." : subject + " is missing or invalid.");
		return new FailureAnalysis(description, action(setting, ex.getAllowed()), ex);
	}

	private FailureAnalysis analyze(BindException ex) {
		String property = ex.getName().toString();
		ConfigurationProperty bound = ex.getProperty();
		StringBuilder description = new StringBuilder("Failed to bind property '").append(property).append("'");
		if (bound != null && !isSecret(property)) {
			description.append(" to the value '").append(bound.getValue()).append("'");
		}
		if (bound != null && bound.getOrigin() != null) {
			description.append(" (from ").append(bound.getOrigin()).append(")");
		}
		description.append(": the value cannot be converted.");
		Class<?> type = ex.getTarget().getType().resolve(Object.class);
		return new FailureAnalysis(description.toString(), action(property, allowed(property, type)), ex);
	}

	private static String action(String property, String allowed) {
		StringBuilder action = new StringBuilder("Update your application's configuration: set '").append(property)
			.append("'");
		Setting<?> setting = HeareStatsPropertiesConfigAdapter.setting(property);
		String variable = (setting != null) ? setting.environmentVariable() : null;
		if (variable != null) {
			action.append(" (or the environment variable ").append(variable).append(")");
		}
		return action.append(". Allowed: ").append(allowed).append(".").toString();
	}

	private static String allowed(String property, Class<?> type) {
		Setting<?> setting = HeareStatsPropertiesConfigAdapter.setting(property);
		if (setting != null) {
			return (type == Duration.class) ? setting.allowed() + ", such as 500ms or 5s" : setting.allowed();
		}
		if (type.isEnum()) {
			return Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
				.collect(Collectors.joining(", ", "one of ", ""));
		}
		if (type == Duration.class) {
			return "a duration such as 500ms or 5s";
		}
		if (type == Integer.class || type == int.class) {
			return "a whole number";
		}
		if (type == Double.class || type == double.class) {
			return "a number";
		}
		return "a value of type " + type.getSimpleName();
	}

	// A core setting's name or its property's.
	private static boolean isSecret(String name) {
		for (Setting<?> setting : StatsClientConfig.settings()) {
			if (setting.isSecret() && (name.equals(setting.name())
					|| name.equals(HeareStatsPropertiesConfigAdapter.propertyName(setting.name())))) {
				return true;
			}
		}
		return false;
	}

	private static <E extends Throwable> @Nullable E findCause(Throwable failure, Class<E> type) {
		Throwable candidate = failure;
		while (candidate != null) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			candidate = candidate.getCause();
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
