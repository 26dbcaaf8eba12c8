package io.heare.stats.collector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test-side client of a running collector, built on the JDK HTTP client.
 */
final class CollectorClient {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** Generous: the machines that run the tests may be busy with other builds. */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	// HTTP/1.1, which the collector speaks: the JDK's default (HTTP/2) adds an h2c
	// upgrade to the first request of every connection.
	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	CollectorClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	HttpResponse<String> post(String path, String body, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request.build());
	}

	HttpResponse<String> postHttp(String body) {
		return post("/http", body, basic("dev-secret", ""));
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).timeout(TIMEOUT).build());
	}

	JsonNode metrics() {
		HttpResponse<String> response = get("/api/metrics");
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET /api/metrics answered " + response.statusCode());
		}
		return MAPPER.readTree(response.body());
	}

	JsonNode history(String query) {
		HttpResponse<String> response = get("/api/history?" + query);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET /api/history answered " + response.statusCode());
		}
		return MAPPER.readTree(response.body());
	}

	void reset() {
		HttpResponse<String> response = post("/api/reset", "", basic("dev-secret", ""));
		if (response.statusCode() != 204) {
			throw new IllegalStateException("POST /api/reset answered " + response.statusCode());
		}
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
