package io.heare.stats.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;

import io.heare.stats.client.transport.HttpSender;
import io.heare.stats.client.transport.HttpTransport;
import io.heare.stats.client.transport.JdkHttpSender;

/**
 * Sends metrics to a heare service over HTTP (the recommended protocol): one
 * {@code POST /http} per batch with a JSON body and Basic authentication, {@code https}
 * when the port is 443. Requests go out from a background thread; recording never waits.
 *
 * <pre>{@code
 * StatsClient client = new HttpClient("metrics.example.com", 443, "secret", "myapp");
 * try (Pipeline pipe = client.pipeline()) {
 *     pipe.incr("requests.total");
 *     pipe.time("db.query.duration", 45.2);
 * }
 * }</pre>
 */
public final class HttpClient extends AbstractStatsClient {

	private HttpClient(Builder builder) {
		super(builder, builder.transport(), "http", builder.uri().toString());
		warnIfSecretInClearText(builder.uri().getScheme(), builder.host);
	}

	/** A client for {@code host:port} authenticating with {@code secret}, without a prefix. */
	public HttpClient(String host, int port, String secret) {
		this(builder(host, port).secret(secret).validated());
	}

	/** A client for {@code host:port} authenticating with {@code secret}, prefixing every name. */
	public HttpClient(String host, int port, String secret, String prefix) {
		this(builder(host, port).secret(secret).prefix(prefix).validated());
	}

	/** A builder for every other setting. */
	public static Builder builder(String host, int port) {
		return new Builder(host, port);
	}

	/** Builds an {@link HttpClient}. */
	public static final class Builder extends StatsClientBuilder<Builder, HttpClient> {

		/** Default limit on establishing a connection. */
		public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

		/** Default limit on one request. */
		public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

		/** Default limit on entries in one request body. */
		public static final int DEFAULT_MAX_BATCH_SIZE = 5_000;

		/** Default limit on the bytes of one request body: half the 1 MB that proxies commonly allow. */
		public static final int DEFAULT_MAX_BATCH_BYTES = 512 * 1024;

		private String scheme;

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

		private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;

		private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;

		private HttpSender httpSender;

		private Executor executor;

		private Builder(String host, int port) {
			super(host, port);
		}

		/** {@code http} or {@code https}; by default {@code https} exactly when the port is 443. */
		public Builder scheme(String scheme) {
			this.scheme = scheme;
			return this;
		}

		/** Limit on establishing a connection (JDK transport). */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/** Limit on one request, response included. */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
			return this;
		}

		/** The most entries (counters, gauges, single timer or histogram values) in one request. */
		public Builder maxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
			return this;
		}

		/**
		 * The most bytes in one request body; a larger batch is split and sent in parts,
		 * within what a proxy in front of the service accepts. At least 1024, so that any
		 * single entry fits (names are at most {@value MetricNames#MAX_LENGTH} characters).
		 */
		public Builder maxBatchBytes(int maxBatchBytes) {
			this.maxBatchBytes = maxBatchBytes;
			return this;
		}

		/** Posts the requests; defaults to the JDK's {@code java.net.http.HttpClient}. */
		public Builder httpSender(HttpSender httpSender) {
			this.httpSender = httpSender;
			return this;
		}

		/** Runs the JDK HTTP client's callbacks; ignored with a custom {@link #httpSender}. */
		public Builder executor(Executor executor) {
			this.executor = executor;
			return this;
		}

		@Override
		public HttpClient build() {
			return new HttpClient(validated());
		}

		Builder validated() {
			validate(true, "http");
			if (this.scheme != null && !this.scheme.equals("http") && !this.scheme.equals("https")) {
				throw new InvalidSettingException("scheme", this.scheme, "http or https");
			}
			requireDuration("connect_timeout", this.connectTimeout, false);
			requireDuration("request_timeout", this.requestTimeout, false);
			requirePositive("max_batch_size", this.maxBatchSize);
			if (this.maxBatchBytes < 1024) {
				throw new InvalidSettingException("max_batch_bytes", String.valueOf(this.maxBatchBytes),
						"a size of at least 1024 bytes");
			}
			return this;
		}

		URI uri() {
			return HttpTransport.endpoint(this.scheme, this.host, this.port, "/http");
		}

		HttpTransport transport() {
			HttpSender sender = (this.httpSender != null) ? this.httpSender
					: new JdkHttpSender(this.connectTimeout, this.executor);
			return new HttpTransport(uri(), this.secret, sender, this.requestTimeout, this.maxBatchSize,
					this.maxBatchBytes);
		}

	}

}
