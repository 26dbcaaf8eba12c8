package io.heare.stats.sample.webmvc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the running sample over HTTP with the JDK client.
 */
final class SampleClient {

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	SampleClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	/**
	 * Sends {@value #MIXED_TRAFFIC_REQUESTS} requests: three new orders, two reads of
	 * each, one read of a missing order, the three invoices (billing fails for exactly
	 * one of three consecutive ids, with 503) and one unknown path.
	 */
	void driveMixedTraffic() {
		long first = createOrder("coffee", 2);
		long second = createOrder("tea", 1);
		long third = createOrder("cake", 3);
		for (long id : new long[] { first, second, third }) {
			expect(200, "/api/orders/" + id);
			expect(200, "/api/orders/" + id);
		}
		expect(404, "/api/orders/999999");
		int failed = 0;
		for (long id : new long[] { first, second, third }) {
			failed += (get("/api/orders/" + id + "/invoice") == 503) ? 1 : 0;
		}
		if (failed != 1) {
			throw new IllegalStateException(failed + " invoices failed, expected 1");
		}
		expect(404, "/no/such/page");
	}

	/** Requests sent by {@link #driveMixedTraffic()}. */
	static final int MIXED_TRAFFIC_REQUESTS = 14;

	private void expect(int status, String path) {
		int actual = get(path);
		if (actual != status) {
			throw new IllegalStateException("GET " + path + " answered " + actual + ", expected " + status);
		}
	}

	/** {@code GET path}; returns the status. */
	int get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET().build()).statusCode();
	}

	/**
	 * {@code GET path}; returns the body, failing unless the status is {@code status}.
	 */
	String body(int status, String path) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.base + path)).GET().build());
		if (response.statusCode() != status) {
			throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ", expected "
					+ status + ": " + response.body());
		}
		return response.body();
	}

	/** {@code POST /api/orders}; returns the new order's id. */
	long createOrder(String product, int quantity) {
		String body = "{\"product\":\"%s\",\"quantity\":%d}".formatted(product, quantity);
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.base + "/api/orders"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		Matcher id = ID.matcher(response.body());
		if (response.statusCode() != 201 || !id.find()) {
			throw new IllegalStateException(
					"POST /api/orders answered " + response.statusCode() + " " + response.body());
		}
		return Long.parseLong(id.group(1));
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
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
