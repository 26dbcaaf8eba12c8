package io.heare.stats.webclient;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;

import io.heare.stats.autoconfigure.HeareStatsAutoConfiguration;
import io.heare.stats.client.StatsClient;
import io.heare.stats.support.OkDispatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the WebClient transport's requests carry nothing of the application's own
 * {@link WebClient.Builder} set-up but the connection.
 */
class WebClientHttpSenderIsolationTests {

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HeareStatsAutoConfiguration.class, WebClientAutoConfiguration.class,
				ReactiveHttpClientAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("heare.stats.dest-host=127.0.0.1", "heare.stats.secret=s3cret");

	@BeforeEach
	void acceptEveryBatch() {
		this.server.setDispatcher(new OkDispatcher());
	}

	@Test
	void anApplicationsFiltersDefaultHeadersAndCookiesAreNotAppliedToMetricsRequests() {
		this.contextRunner.withPropertyValues("heare.stats.dest-port=" + this.server.getPort())
			.withUserConfiguration(ApplicationWebClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StatsClient client = context.getBean(StatsClient.class);
				client.incr("isolated");
				assertThat(client.flush()).isTrue();
				RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(request).isNotNull();
				assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
				assertThat(request.getHeaders().names()).doesNotContain("X-App-Token", "X-Filtered", "Cookie");
				assertThat(context.getBean(ApplicationWebClientConfiguration.class).filterCalls).hasValue(0);
				// The application's own WebClient still has its customizations.
				assertThat(context.getBean(WebClient.Builder.class)).isNotNull();
			});
	}

	@Test
	void anSslBundleThatDoesNotExistFailsAtStartUpNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("heare.stats.dest-port=443", "heare.stats.http.ssl.bundle=no-such-bundle")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("no-such-bundle");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("heare.stats.http.ssl.bundle");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationWebClientConfiguration {

		final AtomicInteger filterCalls = new AtomicInteger();

		@Bean
		WebClientCustomizer applicationCustomizer() {
			return (builder) -> builder.defaultHeader("X-App-Token", "application-credential")
				.defaultCookie("SESSION", "application-session")
				.filter((request, next) -> {
					this.filterCalls.incrementAndGet();
					return next.exchange(ClientRequest.from(request).header("X-Filtered", "yes").build());
				});
		}

	}

}
