package io.heare.stats.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The heare service's HTTP transport ({@code docs/protocol.md}, "HTTP"): one
 * {@code POST /http} per batch with the JSON body and Basic authentication (the secret as
 * the user name, an empty password).
 * <p>
 * A body over {@code maxBatchBytes} is not sent: the batch is handed back to be
 * {@linkplain SendResult#split split}, as it is when the service answers 400 or 413, so
 * that one oversized or malformed entry is isolated and dropped instead of the whole
 * batch.
 */
final class HttpTransport implements Transport {

	private final URI uri;

	private final Map<String, String> headers;

	private final HttpSender sender;

	private final Duration requestTimeout;

	private final int maxBatchEntries;

	private final int maxBatchBytes;

	private final JsonBatchEncoder encoder = new JsonBatchEncoder();

	/**
	 * @param uri the endpoint, ending in {@code /http}
	 * @param secret the shared secret
	 * @param sender posts the requests
	 * @param requestTimeout how long one request may take
	 * @param maxBatchEntries the most entries in one request body
	 * @param maxBatchBytes the most bytes in one request body
	 */
	public HttpTransport(URI uri, String secret, HttpSender sender, Duration requestTimeout, int maxBatchEntries,
			int maxBatchBytes) {
		this.uri = uri;
		this.headers = Map.of("Authorization", basicAuthorization(secret), "Content-Type", "application/json");
		this.sender = sender;
		this.requestTimeout = requestTimeout;
		this.maxBatchEntries = maxBatchEntries;
		this.maxBatchBytes = maxBatchBytes;
	}

	/** The {@code Authorization} header value for {@code secret}. */
	public static String basicAuthorization(String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((secret + ":").getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The endpoint for {@code host} and {@code port}, {@code https} exactly when the port
	 * is 443.
	 */
	public static URI endpoint(String scheme, String host, int port, String path) {
		String resolved = (scheme != null) ? scheme : ((port == 443) ? "https" : "http");
		String authority = (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host;
		return URI.create(resolved + "://" + authority + ":" + port + path);
	}

	@Override
	public SendResult send(Batch batch) throws Exception {
		ByteBuffer body = this.encoder.encodeInPlace(batch);
		int length = body.remaining();
		if (length > this.maxBatchBytes) {
			return SendResult.split("request body over the limit of " + this.maxBatchBytes + " bytes for " + this.uri);
		}
		int status;
		try {
			// The sender enforces the timeout; the extra second only guards a sender that
			// does not.
			status = post(body).get(this.requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof InterruptedException interrupted) {
				// A sender that posts on this thread was interrupted: as if waiting here
				// was.
				throw interrupted;
			}
			return SendResult.retry(Failures.describe("sending to", this.uri, ex.getCause()));
		}
		catch (TimeoutException ex) {
			return SendResult.retry("request timed out after " + this.requestTimeout.toMillis() + " ms");
		}
		return classify(status, length);
	}

	// The client's own sender is done with the body when it returns, so it writes it from
	// the encoder's buffer; another sender may hold on to it and gets an array of its
	// own.
	private CompletableFuture<Integer> post(ByteBuffer body) {
		if (this.sender instanceof SocketHttpSender socketSender) {
			return socketSender.post(this.uri, this.headers, body, this.requestTimeout);
		}
		byte[] copy = Arrays.copyOfRange(body.array(), body.position(), body.limit());
		return this.sender.post(this.uri, this.headers, copy, this.requestTimeout);
	}

	private SendResult classify(int status, long bytes) {
		if (status >= 200 && status < 300) {
			return SendResult.success(1, bytes);
		}
		if (status == 429 || status >= 500) {
			return SendResult.retry("HTTP " + status + " from " + this.uri);
		}
		if (status == 401 || status == 403) {
			return SendResult.rejected(
					"HTTP " + status + " from " + this.uri + ": the secret was rejected; check the configured secret");
		}
		if (status == 400 || status == 413) {
			return SendResult.split("HTTP " + status + " from " + this.uri + ": the service refused the batch");
		}
		return SendResult.rejected("HTTP " + status + " from " + this.uri + ": the service refused the batch");
	}

	@Override
	public int maxBatchEntries() {
		return this.maxBatchEntries;
	}

	@Override
	public void close() {
		this.sender.close();
	}

	@Override
	public String toString() {
		return "HttpTransport[" + this.uri + "]";
	}

}
