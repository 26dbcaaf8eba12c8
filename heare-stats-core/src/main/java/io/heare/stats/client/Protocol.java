package io.heare.stats.client;

/**
 * How a {@link StatsClient} reaches the metrics service. Configured as {@code protocol},
 * written in lower case ({@code http}, {@code tcp}, {@code udp}, {@code ws}) and matched
 * case-insensitively.
 *
 * @see StatsClientSettings
 */
public enum Protocol {

	/** JSON batches POSTed over HTTP(S), authenticated with the secret. Recommended. */
	HTTP,

	/** StatsD lines over one TCP connection. The secret is not sent. */
	TCP,

	/**
	 * StatsD lines in UDP datagrams, without delivery guarantee. The secret is not sent.
	 */
	UDP,

	/** JSON batches as WebSocket text frames, authenticated with the secret. */
	WS;

	/**
	 * Whether the service authenticates this protocol, so that a client cannot work
	 * without a secret.
	 */
	boolean requiresSecret() {
		return this == HTTP || this == WS;
	}

}
