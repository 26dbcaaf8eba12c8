package io.heare.stats.micrometer;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.config.validate.InvalidReason;
import io.micrometer.core.instrument.config.validate.Validated;
import io.micrometer.core.instrument.push.PushRegistryConfig;

import static io.micrometer.core.instrument.config.MeterRegistryConfigValidator.checkAll;
import static io.micrometer.core.instrument.config.MeterRegistryConfigValidator.checkRequired;
import static io.micrometer.core.instrument.config.validate.PropertyValidator.getDuration;
import static io.micrometer.core.instrument.config.validate.PropertyValidator.getInteger;
import static io.micrometer.core.instrument.config.validate.PropertyValidator.getStringMap;

/**
 * Configuration of a {@link HeareMeterRegistry}, in Micrometer's style: every setting is
 * a default method that reads {@link #get(String)} with the key
 * {@code prefix() + "." + name} and falls back to the default its javadoc states.
 * {@link #DEFAULT} has every default.
 * <p>
 * Where metrics go (host, protocol, secret, name prefix) is the {@code StatsClient}'s
 * business, not the registry's.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public interface HeareConfig extends PushRegistryConfig {

	/** Every setting at its default. */
	HeareConfig DEFAULT = (key) -> null;

	/**
	 * The name under which the setting {@code key} is set, for messages:
	 * {@code prefix() + "." + key}.
	 * @param key a setting's key, such as {@code maxMeters}
	 * @return the name a user sets
	 */
	default String propertyName(String key) {
		return prefix() + "." + key;
	}

	/** Key prefix of the settings: {@code heare}. */
	@Override
	default String prefix() {
		return "heare";
	}

	/**
	 * How often gauges, function counters, function timers and long task timers are read
	 * and sent. Counters, timers and distribution summaries are sent as they are
	 * recorded. Default: 10 seconds.
	 */
	@Override
	default Duration step() {
		return getDuration(this, "step").orElse(Duration.ofSeconds(10));
	}

	/**
	 * Most meters this registry holds; a meter registered beyond it is not created (it is
	 * a no-op), counted in {@link HeareMeterRegistry#deniedMeters()} and logged once. The
	 * client's own name cap still applies to all names together. Default: 2,000.
	 */
	default int maxMeters() {
		return getInteger(this, "maxMeters").orElse(2_000);
	}

	/**
	 * Tag keys to keep, by meter name: a meter whose name is the key, or starts with the
	 * key and a dot, keeps only these tags (the longest matching key applies; {@code all}
	 * matches every meter). Written {@code name=key1|key2,name2=key3}. Default: none,
	 * every tag is kept.
	 */
	default Map<String, List<String>> allowedTags() {
		return getStringMap(this, "allowedTags", HeareConfig::tagKeys).orElse(Collections.emptyMap());
	}

	/**
	 * Tag keys to drop, by meter name, matched like {@link #allowedTags()} and applied
	 * after it. Default: none.
	 */
	default Map<String, List<String>> deniedTags() {
		return getStringMap(this, "deniedTags", HeareConfig::tagKeys).orElse(Collections.emptyMap());
	}

	@Override
	default Validated<?> validate() {
		return checkAll(this, (config) -> PushRegistryConfig.validate(config),
				checkRequired("step", HeareConfig::step)
					.andThen((step) -> step.invalidateWhen((value) -> value.isNegative() || value.isZero(),
							"must be positive", InvalidReason.MALFORMED)),
				checkRequired("maxMeters", HeareConfig::maxMeters).andThen((max) -> max
					.invalidateWhen((value) -> value < 0, "must not be negative", InvalidReason.MALFORMED)));
	}

	private static List<String> tagKeys(String value) {
		return Arrays.stream(value.split("\\|")).map(String::trim).filter((key) -> !key.isEmpty()).toList();
	}

}
