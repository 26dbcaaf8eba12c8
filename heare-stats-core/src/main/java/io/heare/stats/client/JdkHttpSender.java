package io.heare.stats.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@link HttpSender} on the JDK's {@code java.net.http.HttpClient}: what the client uses
 * when no other sender is configured, and what a sender of one's own can delegate to. It
 * posts on the calling thread (the client's sender thread, which waits for the outcome
 * anyway) and returns a completed future: the JDK's asynchronous send hands every
 * response on to {@code CompletableFuture}'s default executor, which on a machine with
 * fewer than three processors starts a new thread for each.
 * <p>
 * A service, or a proxy or load balancer in front of it, closes idle keep-alive
 * connections; a request written to a pooled connection the other side has just closed
 * fails before any byte of a response arrives. The service has not seen that request, so
 * it is sent again at once, on a new connection, instead of being reported as a failure
 * and retried after a backoff.
 */
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
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
			.timeout(timeout)
			// Over plain http the JDK would otherwise offer an h2c upgrade that simple
			// services mishandle.
			.version("https".equals(uri.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		headers.forEach(builder::header);
		HttpRequest request = builder.build();
		try {
			return CompletableFuture.completedFuture(sendAgainIfClosedBeforeResponse(request));
		}
		catch (IOException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return CompletableFuture.failedFuture(ex);
		}
	}

	private int sendAgainIfClosedBeforeResponse(HttpRequest request) throws IOException, InterruptedException {
		try {
			return send(request);
		}
		catch (IOException ex) {
			if (!closedBeforeResponse(ex)) {
				throw ex;
			}
			return send(request);
		}
	}

	private int send(HttpRequest request) throws IOException, InterruptedException {
		return this.httpClient.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	// The JDK's words for a connection that ended before the first byte of the response.
	private static boolean closedBeforeResponse(IOException failure) {
		return failure.getMessage() != null && failure.getMessage().contains("received no bytes");
	}

	@Override
	public void close() {
		JdkHttpClients.shutdown(this.httpClient);
	}

	@Override
	public String toString() {
		return "JdkHttpSender";
	}

}
