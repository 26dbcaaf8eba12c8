package io.heare.stats.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading what a {@link MockWebServer} standing in for the metrics service received.
 */
final class MockWebServers {

	private MockWebServers() {
	}

	/** The next request, failing the test when none arrives within 5 seconds. */
	static RecordedRequest take(MockWebServer server) throws InterruptedException {
		RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).as("request received").isNotNull();
		return request;
	}

	static String body(RecordedRequest request) {
		return request.getBody().string(StandardCharsets.UTF_8);
	}

}
