package io.heare.stats.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The heare service's WebSocket transport ({@code docs/protocol.md}) on the JDK's
 * {@link WebSocket}: a handshake to {@code /ws} with the same Basic {@code Authorization}
 * header as HTTP, then every batch as one text frame holding the HTTP JSON body.
 * <p>
 * The connection is opened on the first send. A failed connect, a failed or timed-out
 * send, or a close from the service gives {@link SendResult#retry}: the sender backs off
 * and the next attempt reconnects. A handshake answered 401 or 403 means the secret is
 * wrong, so the batch is {@link SendResult#rejected rejected} instead of retried forever.
 */
final class WsTransport implements Transport {

	private final URI uri;

	private final String authorization;

	private final Duration connectTimeout;

	private final Duration sendTimeout;

	private final int maxBatchEntries;

	private final HttpClient httpClient;

	private final JsonBatchEncoder encoder = new JsonBatchEncoder();

	private WebSocket socket;

	private ConnectionListener listener;

	/**
	 * @param uri the endpoint, {@code ws://host:port/ws} or {@code wss://...}
	 * @param secret the shared secret
	 * @param connectTimeout limit on the opening handshake
	 * @param sendTimeout limit on sending one frame
	 * @param maxBatchEntries the most entries in one frame
	 * @param executor runs the JDK client's callbacks; {@code null} for the JDK default
	 */
	public WsTransport(URI uri, String secret, Duration connectTimeout, Duration sendTimeout, int maxBatchEntries,
			Executor executor) {
		this.uri = uri;
		this.authorization = HttpTransport.basicAuthorization(secret);
		this.connectTimeout = connectTimeout;
		this.sendTimeout = sendTimeout;
		this.maxBatchEntries = maxBatchEntries;
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
		if (executor != null) {
			builder.executor(executor);
		}
		this.httpClient = builder.build();
	}

	@Override
	public SendResult send(Batch batch) throws InterruptedException {
		byte[] json = this.encoder.encode(batch);
		if (this.socket != null && !this.listener.usable(this.socket)) {
			abort();
		}
		if (this.socket == null) {
			SendResult failure = connect();
			if (failure != null) {
				return failure;
			}
		}
		try {
			this.socket.sendText(new String(json, StandardCharsets.UTF_8), true)
				.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
			return SendResult.success(1, json.length);
		}
		catch (ExecutionException ex) {
			abort();
			return SendResult.retry(Failures.describe("sending to", this.uri, ex.getCause()));
		}
		catch (TimeoutException ex) {
			abort();
			return SendResult
				.retry("sending to " + this.uri + " timed out after " + this.sendTimeout.toMillis() + " ms");
		}
	}

	/** Opens the connection; returns why it could not be opened, or {@code null}. */
	private SendResult connect() throws InterruptedException {
		ConnectionListener opened = new ConnectionListener();
		try {
			// The builder enforces the connect timeout; the extra second guards a
			// handshake that stalls after it.
			this.socket = this.httpClient.newWebSocketBuilder()
				.connectTimeout(this.connectTimeout)
				.header("Authorization", this.authorization)
				.buildAsync(this.uri, opened)
				.get(this.connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			this.listener = opened;
			return null;
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof WebSocketHandshakeException handshake) {
				return handshakeRefused(handshake.getResponse().statusCode());
			}
			return SendResult.retry(Failures.describe("connecting to", this.uri, cause));
		}
		catch (TimeoutException ex) {
			return SendResult
				.retry("connecting to " + this.uri + " timed out after " + this.connectTimeout.toMillis() + " ms");
		}
	}

	private SendResult handshakeRefused(int status) {
		String prefix = "WebSocket handshake with " + this.uri + " answered HTTP " + status;
		if (status == 401 || status == 403) {
			return SendResult.rejected(prefix + ": the secret was rejected; check the configured secret");
		}
		if (status == 429 || status >= 500) {
			return SendResult.retry(prefix);
		}
		return SendResult.rejected(prefix + ": the service refused the WebSocket upgrade");
	}

	private void abort() {
		if (this.socket != null) {
			this.socket.abort();
			this.socket = null;
			this.listener = null;
		}
	}

	@Override
	public int maxBatchEntries() {
		return this.maxBatchEntries;
	}

	@Override
	public void close() {
		if (this.socket != null) {
			try {
				// Wait briefly for the service's reply so that it sees a clean close, not
				// a reset.
				this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
				this.listener.ended.get(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// Closing politely is a courtesy; abort below releases the connection
				// either way.
			}
			abort();
		}
		JdkHttpClients.shutdown(this.httpClient);
	}

	@Override
	public String toString() {
		return "WsTransport[" + this.uri + "]";
	}

	/**
	 * Watches one connection from the JDK client's threads, so that the sender learns of
	 * a close or an error before it writes into a dead connection.
	 */
	private static final class ConnectionListener implements WebSocket.Listener {

		private final CompletableFuture<Void> ended = new CompletableFuture<>();

		boolean usable(WebSocket socket) {
			return !this.ended.isDone() && !socket.isOutputClosed() && !socket.isInputClosed();
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			// The service is not expected to talk; reading everything lets close frames
			// through.
			webSocket.request(Long.MAX_VALUE);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.ended.complete(null);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.ended.complete(null);
		}

	}

}
