package io.heare.stats.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;

import io.heare.stats.client.transport.HttpTransport;
import io.heare.stats.client.transport.WsTransport;

/**
 * Sends metrics to a heare service over a WebSocket: a handshake to {@code /ws}
 * authenticated like HTTP, then one text frame per batch holding the same JSON as an HTTP
 * request body; {@code wss} when the port is 443. The connection opens on the first send
 * and reopens, with backoff, after it breaks.
 *
 * <pre>{@code
 * StatsClient client = new WsClient("metrics.example.com", 443, "secret", "myapp");
 * client.gauge("memory.usage", 85.5);
 * }</pre>
 */
public final class WsClient extends AbstractStatsClient {

	private WsClient(Builder builder) {
		super(builder, builder.transport(), "ws", builder.uri().toString());
		warnIfSecretInClearText(builder.uri().getScheme(), builder.host);
	}

	/** A client for {@code host:port} authenticating with {@code secret}, without a prefix. */
	public WsClient(String host, int port, String secret) {
		this(builder(host, port).secret(secret).validated());
	}

	/** A client for {@code host:port} authenticating with {@code secret}, prefixing every name. */
	public WsClient(String host, int port, String secret, String prefix) {
		this(builder(host, port).secret(secret).prefix(prefix).validated());
	}

	/** A builder for every other setting. */
	public static Builder builder(String host, int port) {
		return new Builder(host, port);
	}

	/** Builds a {@link WsClient}. */
	public static final class Builder extends StatsClientBuilder<Builder, WsClient> {

		/** Default limit on the opening handshake. */
		public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

		/** Default limit on sending one frame. */
		public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);

		/** Default limit on entries in one frame. */
		public static final int DEFAULT_MAX_BATCH_SIZE = 5_000;

		private String scheme;

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

		private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;

		private Executor executor;

		private Builder(String host, int port) {
			super(host, port);
		}

		/** {@code ws} or {@code wss}; by default {@code wss} exactly when the port is 443. */
		public Builder scheme(String scheme) {
			this.scheme = scheme;
			return this;
		}

		/** Limit on the opening handshake. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/** Limit on sending one frame. */
		public Builder sendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
			return this;
		}

		/** The most entries (counters, gauges, single timer or histogram values) in one frame. */
		public Builder maxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
			return this;
		}

		/** Runs the JDK WebSocket client's callbacks. */
		public Builder executor(Executor executor) {
			this.executor = executor;
			return this;
		}

		@Override
		public WsClient build() {
			return new WsClient(validated());
		}

		Builder validated() {
			validate(true, "ws");
			if (this.scheme != null && !this.scheme.equals("ws") && !this.scheme.equals("wss")) {
				throw new InvalidSettingException("scheme", this.scheme, "ws or wss");
			}
			requireDuration("connect_timeout", this.connectTimeout, false);
			requireDuration("send_timeout", this.sendTimeout, false);
			requirePositive("max_batch_size", this.maxBatchSize);
			return this;
		}

		URI uri() {
			String resolved = (this.scheme != null) ? this.scheme : ((this.port == 443) ? "wss" : "ws");
			return HttpTransport.endpoint(resolved, this.host, this.port, "/ws");
		}

		WsTransport transport() {
			return new WsTransport(uri(), this.secret, this.connectTimeout, this.sendTimeout, this.maxBatchSize,
					this.executor);
		}

	}

}
