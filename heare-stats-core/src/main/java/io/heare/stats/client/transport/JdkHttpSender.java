package io.heare.stats.client.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@link HttpSender} on the JDK's {@code java.net.http.HttpClient}. */
public final class JdkHttpSender implements HttpSender {

	private final HttpClient httpClient;

	/**
	 * @param connectTimeout how long to wait for a connection
	 * @param executor runs the JDK client's callbacks; {@code null} for the JDK default
	 */
	public JdkHttpSender(Duration connectTimeout, Executor executor) {
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
		if (executor != null) {
			builder.executor(executor);
		}
		this.httpClient = builder.build();
	}

	@Override
	public CompletableFuture<Integer> post(URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(timeout)
			// Over plain http the JDK would otherwise offer an h2c upgrade that simple services mishandle.
			.version("https".equals(uri.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		headers.forEach(request::header);
		return this.httpClient.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
			.thenApply(HttpResponse::statusCode);
	}

	@Override
	public String toString() {
		return "JdkHttpSender";
	}

}
