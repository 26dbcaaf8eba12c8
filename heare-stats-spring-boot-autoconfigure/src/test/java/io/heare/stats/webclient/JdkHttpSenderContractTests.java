package io.heare.stats.webclient;

import java.time.Duration;

import io.heare.stats.client.HttpSender;
import io.heare.stats.client.JdkHttpSender;

/**
 * Runs the {@link HttpSenderContractTests} on the core's {@link JdkHttpSender}, the
 * transport used when {@code spring-boot-webclient} is absent.
 */
class JdkHttpSenderContractTests extends HttpSenderContractTests {

	@Override
	protected HttpSender createSender() {
		return new JdkHttpSender(Duration.ofSeconds(5), null);
	}

}
