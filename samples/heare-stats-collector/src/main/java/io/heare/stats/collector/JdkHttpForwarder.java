package io.heare.stats.collector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * {@link Forwarder} that POSTs the JSON body to {@code /http} with the JDK HTTP client,
 * using the Python client's rules: Basic auth with the secret as user name and an empty
 * password, https on port 443 and http otherwise.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class JdkHttpForwarder implements Forwarder {

	private final HttpClient client;

	private final URI uri;

	private final @Nullable String authorization;

	private final Duration timeout;

	/**
	 * Creates a forwarder from the relay settings.
	 * @param forward the settings; host and port must be set
	 */
	public JdkHttpForwarder(CollectorProperties.Forward forward) {
		if (forward.getPort() == null) {
			throw new IllegalStateException("collector.forward.port is required when collector.forward.host is set");
		}
		String scheme = (forward.getScheme() != null) ? forward.getScheme()
				: (forward.getPort() == 443) ? "https" : "http";
		this.uri = URI.create(scheme + "://" + forward.getHost() + ":" + forward.getPort() + "/http");
		this.authorization = (forward.getSecret() != null) ? "Basic " + Base64.getEncoder()
			.encodeToString((forward.getSecret() + ":").getBytes(StandardCharsets.UTF_8)) : null;
		this.timeout = forward.getTimeout();
		this.client = HttpClient.newBuilder().connectTimeout(this.timeout).build();
	}

	/**
	 * Returns where batches are sent.
	 * @return the {@code /http} URI
	 */
	public URI uri() {
		return this.uri;
	}

	@Override
	public void forward(MetricBatch batch) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.uri)
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(MetricBatchJson.write(batch), StandardCharsets.UTF_8));
		if (this.authorization != null) {
			request.header("Authorization", this.authorization);
		}
		HttpResponse<String> response;
		try {
			response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while forwarding to " + this.uri, ex);
		}
		if (response.statusCode() / 100 != 2) {
			throw new IOException("Forwarding to " + this.uri + " failed with HTTP " + response.statusCode());
		}
	}

}
