package io.heare.stats.client;

import java.time.Duration;

/**
 * The one place where the tests of batching, retries and the client's life cycle build a
 * client, so that they do not depend on how the client's settings are spelled.
 */
final class TestClients {

	static final RetryPolicy FAST_RETRIES = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 2.0, 0.0);

	private TestClients() {
	}

	/** Settings for a client of a service on {@code 127.0.0.1:port}. */
	static Settings on(int port) {
		return new Settings(port);
	}

	static final class Settings {

		private final int port;

		private String prefix;

		private Integer maxBatchSize = StatsClientConfig.HTTP_MAX_BATCH_SIZE.defaultValue();

		private int maxBatchBytes = StatsClientConfig.HTTP_MAX_BATCH_BYTES.defaultValue();

		private Duration linger = StatsClientConfig.LINGER.defaultValue();

		private Duration flushTimeout = Duration.ofSeconds(10);

		private RetryPolicy retryPolicy = FAST_RETRIES;

		private Settings(int port) {
			this.port = port;
		}

		Settings prefix(String prefix) {
			this.prefix = prefix;
			return this;
		}

		Settings maxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
			return this;
		}

		Settings maxBatchBytes(int maxBatchBytes) {
			this.maxBatchBytes = maxBatchBytes;
			return this;
		}

		Settings linger(Duration linger) {
			this.linger = linger;
			return this;
		}

		Settings flushTimeout(Duration flushTimeout) {
			this.flushTimeout = flushTimeout;
			return this;
		}

		Settings retryPolicy(RetryPolicy retryPolicy) {
			this.retryPolicy = retryPolicy;
			return this;
		}

		/**
		 * An HTTP client posting to {@code http://127.0.0.1:port/http} with the secret
		 * {@code s3cret}.
		 */
		StatsClient http() {
			return StatsClient.create(common(Protocol.HTTP).secret("s3cret")
				.set(StatsClientConfig.HTTP_MAX_BATCH_SIZE, this.maxBatchSize)
				.set(StatsClientConfig.HTTP_MAX_BATCH_BYTES, this.maxBatchBytes)
				.build());
		}

		/** A StatsD-over-TCP client sending lines to {@code 127.0.0.1:port}. */
		StatsClient tcp() {
			return StatsClient.create(common(Protocol.TCP).build());
		}

		private StatsClientConfig.Builder common(Protocol protocol) {
			return StatsClientConfig.builder()
				.protocol(protocol)
				.destHost("127.0.0.1")
				.destPort(this.port)
				.prefix(this.prefix)
				.set(StatsClientConfig.LINGER, this.linger)
				.set(StatsClientConfig.FLUSH_TIMEOUT, this.flushTimeout)
				.retryPolicy(this.retryPolicy)
				.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false);
		}

	}

}
