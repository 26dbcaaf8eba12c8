package io.heare.stats.micrometer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import org.jspecify.annotations.Nullable;

/**
 * Keeps or drops tag keys by meter name ({@link HeareConfig#allowedTags()},
 * {@link HeareConfig#deniedTags()}). Meters that differ only in dropped tags become one
 * meter, so their counts and timings add up under one heare name.
 */
final class TagKeysFilter implements MeterFilter {

	private static final String ALL = "all";

	private final Map<String, Set<String>> allowed;

	private final Map<String, Set<String>> denied;

	TagKeysFilter(Map<String, List<String>> allowed, Map<String, List<String>> denied) {
		this.allowed = copy(allowed);
		this.denied = copy(denied);
	}

	private static Map<String, Set<String>> copy(Map<String, List<String>> byName) {
		Map<String, Set<String>> copy = new HashMap<>();
		byName.forEach((name, keys) -> copy.put(name, Set.copyOf(keys)));
		return Map.copyOf(copy);
	}

	boolean isEmpty() {
		return this.allowed.isEmpty() && this.denied.isEmpty();
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		Set<String> keep = lookup(this.allowed, id.getName());
		Set<String> drop = lookup(this.denied, id.getName());
		if (keep == null && drop == null) {
			return id;
		}
		List<Tag> tags = new ArrayList<>();
		boolean changed = false;
		for (Tag tag : id.getTagsAsIterable()) {
			if ((keep == null || keep.contains(tag.getKey())) && (drop == null || !drop.contains(tag.getKey()))) {
				tags.add(tag);
			}
			else {
				changed = true;
			}
		}
		return changed ? id.replaceTags(tags) : id;
	}

	// The entry for the name itself, else for its longest dotted prefix, else "all".
	private static @Nullable Set<String> lookup(Map<String, Set<String>> byName, String name) {
		if (byName.isEmpty()) {
			return null;
		}
		String candidate = name;
		while (true) {
			Set<String> keys = byName.get(candidate);
			if (keys != null) {
				return keys;
			}
			int dot = candidate.lastIndexOf('.');
			if (dot <= 0) {
				return byName.get(ALL);
			}
			candidate = candidate.substring(0, dot);
		}
	}

}
