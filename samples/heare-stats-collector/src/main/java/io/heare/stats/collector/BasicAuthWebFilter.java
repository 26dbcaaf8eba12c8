package io.heare.stats.collector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Requires the heare Basic credentials (user name = secret, empty password) on every
 * request except reads of a short list of open pages: the dashboard, its assets and
 * {@code GET /api/metrics}. The open list is compared with the path exactly as sent, so
 * any other spelling of a path (percent-encoded, with {@code ;} parameters, in another
 * case, with extra slashes) needs credentials too: what the router makes of it cannot
 * matter. A request with credentials from another web origin is refused as well, so that
 * a page in the user's browser cannot use them ({@code /ws} handshakes are not subject to
 * CORS).
 * <p>
 * A filter rather than a check in each handler because the WebSocket handler only runs
 * after the upgrade, too late to refuse it.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class BasicAuthWebFilter implements WebFilter, Ordered {

	/** Version of the uPlot WebJar; also in the dashboard's script and style URLs. */
	static final String UPLOT_PATH = "/webjars/uplot/1.6.30/dist/";

	/** Paths anyone may read with GET or HEAD, as sent on the request line. */
	static final Set<String> OPEN_PATHS = Set.of("/", "/dashboard.js", "/dashboard.css", "/api/metrics", "/api/history",
			UPLOT_PATH + "uPlot.iife.min.js", UPLOT_PATH + "uPlot.min.css");

	private final byte[] expected;

	private final CollectorTotals totals;

	/**
	 * Creates a new instance.
	 * @param secret the secret clients must send as the user name
	 * @param totals where refusals are counted
	 */
	public BasicAuthWebFilter(String secret, CollectorTotals totals) {
		this.expected = (secret + ":").getBytes(StandardCharsets.UTF_8);
		this.totals = totals;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (isOpen(request)) {
			return chain.filter(exchange);
		}
		if (!isAuthorized(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
			exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"heare\"");
			return refuse(exchange, HttpStatus.UNAUTHORIZED);
		}
		if (CorsUtils.isCorsRequest(request)) {
			return refuse(exchange, HttpStatus.FORBIDDEN);
		}
		return chain.filter(exchange);
	}

	private static boolean isOpen(ServerHttpRequest request) {
		HttpMethod method = request.getMethod();
		return (method == HttpMethod.GET || method == HttpMethod.HEAD)
				&& OPEN_PATHS.contains(request.getURI().getRawPath());
	}

	private Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status) {
		this.totals.rejectedUnauthorized.incrementAndGet();
		exchange.getResponse().setStatusCode(status);
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
