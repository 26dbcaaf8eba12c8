package io.heare.stats.client;

/**
 * The one sanitizing rule every client and protocol applies to metric names, so that a
 * name means the same thing over HTTP, WebSocket and StatsD: every character outside
 * {@code [A-Za-z0-9_.-]} (which covers StatsD's {@code :}, {@code |} and {@code @},
 * whitespace, control characters and non-ASCII letters) becomes {@code _}, and leading
 * and trailing dots are removed. A name that is empty afterwards is invalid.
 * <p>
 * A wire name (prefix included) longer than {@value #MAX_LENGTH} characters is cut to
 * that length by the clients, so that one runaway name (an id or a URL in it) cannot make
 * a request or a datagram too large; the clients count the names they cut.
 */
public final class MetricNames {

	/** The most characters of a wire name (sanitized, prefix included). */
	public static final int MAX_LENGTH = 200;

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

	/**
	 * {@code prefix.name}, both sanitized; just the name when the prefix is null or
	 * blank.
	 */
	public static String qualify(String prefix, String name) {
		String sanitized = sanitize(name);
		if (sanitized == null) {
			return null;
		}
		String sanitizedPrefix = (prefix != null && !prefix.isBlank()) ? sanitize(prefix) : null;
		return (sanitizedPrefix != null) ? sanitizedPrefix + "." + sanitized : sanitized;
	}

	/**
	 * {@code wireName} cut to {@value #MAX_LENGTH} characters (and of a trailing dot the
	 * cut leaves); the same instance when it is short enough.
	 */
	public static String limit(String wireName) {
		if (wireName.length() <= MAX_LENGTH) {
			return wireName;
		}
		int end = MAX_LENGTH;
		while (end > 1 && wireName.charAt(end - 1) == '.') {
			end--;
		}
		return wireName.substring(0, end);
	}

	private static boolean isAllowed(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
				|| c == '-';
	}

}
