package io.heare.stats.collector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Checks the heare Basic credentials (user name = secret, empty password) on the ingest
 * paths, {@code /http} and the {@code /ws} handshake, and answers 401 otherwise. A
 * filter rather than a check in each handler because the WebSocket handler only runs
 * after the upgrade, too late to refuse it.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class BasicAuthWebFilter implements WebFilter, Ordered {

	private static final Set<String> PROTECTED_PATHS = Set.of("/http", "/ws");

	private final byte[] expected;

	private final CollectorTotals totals;

	/**
	 * Creates a new instance.
	 * @param secret the secret clients must send as the user name
	 * @param totals where 401s are counted
	 */
	public BasicAuthWebFilter(String secret, CollectorTotals totals) {
		this.expected = (secret + ":").getBytes(StandardCharsets.UTF_8);
		this.totals = totals;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!PROTECTED_PATHS.contains(exchange.getRequest().getPath().pathWithinApplication().value())
				|| isAuthorized(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
			return chain.filter(exchange);
		}
		this.totals.rejectedUnauthorized.incrementAndGet();
		exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"heare\"");
		return exchange.getResponse().setComplete();
	}

	boolean isAuthorized(@Nullable String header) {
		if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
			return false;
		}
		byte[] credentials;
		try {
			credentials = Base64.getDecoder().decode(header.substring(6).trim());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		// Constant time, so that the secret cannot be guessed byte by byte from timings.
		return MessageDigest.isEqual(credentials, this.expected);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
