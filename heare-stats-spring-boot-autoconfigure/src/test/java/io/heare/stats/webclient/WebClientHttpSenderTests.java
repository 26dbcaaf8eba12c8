package io.heare.stats.webclient;

import org.springframework.web.reactive.function.client.WebClient;

import io.heare.stats.client.HttpSender;

/**
 * Tests for {@link WebClientHttpSender}.
 */
class WebClientHttpSenderTests extends HttpSenderContractTests {

	@Override
	protected HttpSender createSender() {
		return new WebClientHttpSender(WebClient.builder().build());
	}

}
