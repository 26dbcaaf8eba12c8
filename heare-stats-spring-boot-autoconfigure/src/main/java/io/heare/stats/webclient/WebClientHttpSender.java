package io.heare.stats.webclient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.web.reactive.function.client.WebClient;

import io.heare.stats.client.HttpSender;

/**
 * {@link HttpSender} on Spring's {@link WebClient}, so that the metrics requests use the
 * application's HTTP connector (its proxy, pool and SSL bundle) and event loop. Give it a
 * {@code WebClient} of its own, built from those connection parts only: an application's
 * filters, default headers and cookies have no business in requests to the metrics
 * service, and could carry application credentials there or log its secret. Sending never
 * blocks: {@link #post} returns the exchange as a future that completes with the status
 * code (the response body is released unread) or fails when the exchange takes longer
 * than the timeout.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class WebClientHttpSender implements HttpSender {

	private final WebClient webClient;

	/**
	 * Creates a sender.
	 * @param webClient the client that sends the requests
	 */
	public WebClientHttpSender(WebClient webClient) {
		this.webClient = webClient;
	}

	@Override
	public CompletableFuture<Integer> post(URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
		return this.webClient.post()
			.uri(uri)
			.headers((httpHeaders) -> headers.forEach(httpHeaders::set))
			.bodyValue(body)
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
			.timeout(timeout)
			.toFuture();
	}

	@Override
	public String toString() {
		return "WebClientHttpSender";
	}

}
