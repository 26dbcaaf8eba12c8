package io.heare.stats.client;

/**
 * The one sanitizing rule every client and protocol applies to metric names, so that a
 * name means the same thing over HTTP, WebSocket and StatsD: every character outside
 * {@code [A-Za-z0-9_.-]} (which covers StatsD's {@code :}, {@code |} and {@code @},
 * whitespace, control characters and non-ASCII letters) becomes {@code _}, and leading and
 * trailing dots are removed. A name that is empty afterwards is invalid.
 */
public final class MetricNames {

	private MetricNames() {
	}

	/**
	 * Sanitizes {@code name}.
	 * @return the sanitized name, or {@code null} when nothing valid is left
	 */
	public static String sanitize(String name) {
		if (name == null) {
			return null;
		}
		int start = 0;
		int end = name.length();
		while (start < end && name.charAt(start) == '.') {
			start++;
		}
		while (end > start && name.charAt(end - 1) == '.') {
			end--;
		}
		if (start == end) {
			return null;
		}
		StringBuilder sanitized = null;
		for (int i = start; i < end; i++) {
			char c = name.charAt(i);
			if (!isAllowed(c)) {
				if (sanitized == null) {
					sanitized = new StringBuilder(end - start).append(name, start, i);
				}
				sanitized.append('_');
			}
			else if (sanitized != null) {
				sanitized.append(c);
			}
		}
		if (sanitized != null) {
			return sanitized.toString();
		}
		return (start == 0 && end == name.length()) ? name : name.substring(start, end);
	}

	/** {@code prefix.name}, both sanitized; just the name when the prefix is null or blank. */
	public static String qualify(String prefix, String name) {
		String sanitized = sanitize(name);
		if (sanitized == null) {
			return null;
		}
		String sanitizedPrefix = (prefix != null && !prefix.isBlank()) ? sanitize(prefix) : null;
		return (sanitizedPrefix != null) ? sanitizedPrefix + "." + sanitized : sanitized;
	}

	private static boolean isAllowed(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
				|| c == '-';
	}

}
