package io.heare.stats.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one transport seam of the client, as Micrometer's {@code HttpSender} is: posts one
 * request body of the http protocol and reports the status code. Set it with
 * {@link StatsClientConfig.Builder#httpSender(HttpSender)}; without one the client posts
 * plain {@code http} over a kept-alive HTTP/1.1 connection of its own, and {@code https}
 * with the JDK's {@code java.net.http.HttpClient} ({@link JdkHttpSender}). The Spring
 * Boot starter supplies one built on {@code WebClient}, and a test or relay can supply
 * its own. The returned future must complete (normally or exceptionally) within
 * {@code timeout}; the client closes the sender when it is closed.
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
