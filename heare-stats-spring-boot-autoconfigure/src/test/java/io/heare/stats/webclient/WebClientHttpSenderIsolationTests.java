package io.heare.stats.webclient;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
		this.contextRunner.withPropertyValues("heare.stats.dest-port=443", "heare.stats.http.ssl.bundle=no-such-bundle")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("no-such-bundle");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("heare.stats.http.ssl.bundle");
			});
	}

	@Test
	void sendsOverHttpsWithTheConfiguredSslBundle(@TempDir Path directory) throws Exception {
		Path keyStore = directory.resolve("server.p12");
		Path trustStore = directory.resolve("trust.p12");
		Path certificate = directory.resolve("server.crt");
		keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
				"-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
				"-storepass", "changeit");
		keytool("-exportcert", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", "changeit", "-file",
				certificate.toString());
		keytool("-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(), "-storetype", "PKCS12",
				"-keystore", trustStore.toString(), "-storepass", "changeit");
		KeyStore keys = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			keys.load(in, "changeit".toCharArray());
		}
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keys, "changeit".toCharArray());
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(keyManagers.getKeyManagers(), null, null);
		this.server.useHttps(tls.getSocketFactory());
		this.contextRunner
			.withPropertyValues("heare.stats.dest-port=" + this.server.getPort(), "heare.stats.http.scheme=https",
					"heare.stats.http.ssl.bundle=metrics",
					"spring.ssl.bundle.jks.metrics.truststore.location=file:" + trustStore,
					"spring.ssl.bundle.jks.metrics.truststore.password=changeit",
					"spring.ssl.bundle.jks.metrics.truststore.type=PKCS12")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StatsClient client = context.getBean(StatsClient.class);
				client.incr("over.tls");
				assertThat(client.flush()).as(String.valueOf(client.telemetry().lastErrorMessage())).isTrue();
				RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(request).isNotNull();
				assertThat(request.getHandshake()).isNotNull();
			});
	}

	private static void keytool(String... arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
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
