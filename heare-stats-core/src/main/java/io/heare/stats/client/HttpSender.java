package io.heare.stats.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Posts one request body and reports the status code. The core ships a JDK implementation
 * (on {@code java.net.http.HttpClient}); the Spring Boot starter adds one built on {@code WebClient}.
 * The returned future must complete (normally or exceptionally) within {@code timeout}.
 */
@FunctionalInterface
public interface HttpSender extends AutoCloseable {

	/**
	 * @param uri where to post
	 * @param headers request headers, including {@code Authorization}; never log them
	 * @param body the request body
	 * @param timeout how long the whole exchange may take
	 * @return the response status code
	 */
	CompletableFuture<Integer> post(URI uri, Map<String, String> headers, byte[] body, Duration timeout);

	@Override
	default void close() {
	}

}
