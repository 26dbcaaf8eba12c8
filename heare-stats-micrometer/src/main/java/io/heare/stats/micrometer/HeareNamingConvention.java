package io.heare.stats.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import org.jspecify.annotations.Nullable;

/**
 * The {@link NamingConvention} of a {@link HeareMeterRegistry}. Meter names are kept as
 * they are: Micrometer's names are already dotted, and so are heare's. In tag keys and
 * values a dot becomes {@code _}, so that each tag stays exactly two segments of the flat
 * name ({@code key.value}), and an empty value becomes {@code _}, so that no segment is
 * empty. Every other character the heare name rule does not allow is replaced when the
 * whole name is sanitized (see {@link HeareMeterRegistry#heareName(Meter.Id)}).
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class HeareNamingConvention implements NamingConvention {

	@Override
	public String name(String name, Meter.Type type, @Nullable String baseUnit) {
		return name;
	}

	@Override
	public String tagKey(String key) {
		return segment(key);
	}

	@Override
	public String tagValue(String value) {
		return segment(value);
	}

	private static String segment(String value) {
		return value.isEmpty() ? "_" : value.replace('.', '_');
	}

}
