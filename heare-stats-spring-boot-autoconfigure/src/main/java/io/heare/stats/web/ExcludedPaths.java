package io.heare.stats.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Path patterns ({@link PathPattern} syntax, matched against the path within the
 * application) whose requests are not measured. A literal prefix check runs first, so a
 * request that is plainly not excluded costs no parsing.
 *
 * @since 0.1.0
 */
public final class ExcludedPaths {

	// Arrays, not lists: a request that is not excluded reads the prefixes only.
	private final PathPattern[] patterns;

	private final String[] prefixes;

	/**
	 * Parses {@code patterns}; blank entries are ignored.
	 * @param patterns the patterns, such as {@code /actuator/**}
	 */
	public ExcludedPaths(Collection<String> patterns) {
		List<PathPattern> parsed = new ArrayList<>();
		List<String> prefixes = new ArrayList<>();
		for (String pattern : patterns) {
			if (pattern == null || pattern.isBlank()) {
				continue;
			}
			String trimmed = pattern.trim();
			parsed.add(PathPatternParser.defaultInstance.parse(trimmed));
			prefixes.add(literalPrefix(trimmed));
		}
		this.patterns = parsed.toArray(PathPattern[]::new);
		this.prefixes = prefixes.toArray(String[]::new);
	}

	/** Whether no pattern is configured. */
	public boolean isEmpty() {
		return this.patterns.length == 0;
	}

	/**
	 * Whether {@code path} (within the application, starting with {@code /}) is excluded.
	 * @param path the path
	 * @return {@code true} when a pattern matches
	 */
	public boolean matches(String path) {
		PathContainer container = null;
		for (int i = 0; i < this.prefixes.length; i++) {
			if (path.startsWith(this.prefixes[i])) {
				if (container == null) {
					container = PathContainer.parsePath(path);
				}
				if (this.patterns[i].matches(container)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Whether {@code path} is excluded.
	 * @param path the parsed path within the application
	 * @return {@code true} when a pattern matches
	 */
	public boolean matches(PathContainer path) {
		String value = path.value();
		for (int i = 0; i < this.prefixes.length; i++) {
			if (value.startsWith(this.prefixes[i]) && this.patterns[i].matches(path)) {
				return true;
			}
		}
		return false;
	}

	// The part before the first variable or wildcard, cut back to a segment boundary, so
	// "/actuator/**" gives "/actuator" (which "/actuator" itself also starts with).
	private static String literalPrefix(String pattern) {
		int end = pattern.length();
		for (int i = 0; i < pattern.length(); i++) {
			char c = pattern.charAt(i);
			if (c == '*' || c == '?' || c == '{') {
				end = i;
				break;
			}
		}
		if (end == pattern.length()) {
			return pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
		}
		int slash = pattern.lastIndexOf('/', end - 1);
		return (slash > 0) ? pattern.substring(0, slash) : "";
	}

}
