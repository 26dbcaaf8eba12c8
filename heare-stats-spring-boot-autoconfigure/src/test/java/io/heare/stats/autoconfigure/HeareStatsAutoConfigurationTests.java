package io.heare.stats.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

import io.heare.stats.client.DropReason;
import io.heare.stats.client.HttpClient;
import io.heare.stats.client.HttpSender;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.support.OkDispatcher;
import io.heare.stats.testsupport.CapturingStatsClient;
import io.heare.stats.webclient.WebClientHttpSender;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareStatsAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class HeareStatsAutoConfigurationTests {

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HeareStatsAutoConfiguration.class));

	@BeforeEach
	void acceptEveryBatch() {
		this.server.setDispatcher(new OkDispatcher());
	}

	@Test
	void backsOffToANoopClientWithoutADestinationHost(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(StatsClient.class).isSameAs(StatsClient.noop());
			assertThat(context).doesNotHaveBean(HttpSender.class);
		});
		assertThat(metricsOffLines(output)).singleElement()
			.asString()
			.contains("INFO")
			.contains("set heare.stats.dest-host (or STATS_CLIENT_SETTINGS__DEST_HOST) to send them");
	}

	@ParameterizedTest
	@CsvSource({ "udp, io.heare.stats.client.UdpClient", "tcp, io.heare.stats.client.TcpClient",
			"ws, io.heare.stats.client.WsClient", "HTTP, io.heare.stats.client.HttpClient" })
	void protocolPropertyChoosesTheClient(String protocol, String clientType) {
		this.contextRunner
			.withPropertyValues("heare.stats.protocol=" + protocol, "heare.stats.dest-host=127.0.0.1",
					"heare.stats.dest-port=" + this.server.getPort(), "heare.stats.secret=s3cret")
			.run((context) -> assertThat(context).getBean(StatsClient.class)
				.extracting((client) -> client.getClass().getName())
				.isEqualTo(clientType));
	}

	@Test
	void blankDestinationHostCountsAsNotSet() {
		this.contextRunner.withPropertyValues("heare.stats.dest-host= ", "heare.stats.dest-port=8080")
			.run((context) -> assertThat(context).getBean(StatsClient.class).isSameAs(StatsClient.noop()));
	}

	@Test
	void autoConfigurationCanBeDisabledWithEnabledProperty(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("heare.stats.enabled=false", "heare.stats.dest-host=127.0.0.1",
					"heare.stats.dest-port=" + this.server.getPort(), "heare.stats.secret=s3cret")
			.run((context) -> {
				assertThat(context).getBean(StatsClient.class).isSameAs(StatsClient.noop());
				assertThat(context).doesNotHaveBean(HttpSender.class);
			});
		assertThat(metricsOffLines(output)).singleElement()
			.asString()
			.contains("heare.stats.enabled is false; set heare.stats.enabled=true");
	}

	@Test
	void createsAnHttpClientForTheConfiguredDestination() {
		this.contextRunner.withPropertyValues(destination()).run((context) -> {
			StatsClient client = context.getBean(StatsClient.class);
			assertThat(client).isInstanceOf(HttpClient.class)
				.hasToString("HttpClient[http://127.0.0.1:" + this.server.getPort() + "/http, prefix=app]");
			client.incr("requests", 2);
			assertThat(client.flush()).isTrue();
			RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
			assertThat(request.getBody().utf8()).isEqualTo("{\"counters\":{\"app.requests\":2}}");
		});
	}

	@Test
	void allowsUserDefinedClientToBeUsed() {
		this.contextRunner.withPropertyValues(destination())
			.withUserConfiguration(CustomClientConfiguration.class)
			.run((context) -> assertThat(context).getBean(StatsClient.class)
				.isSameAs(context.getBean("customStatsClient")));
	}

	@Test
	void userDefinedClientWinsWhenMetricsAreOffAndNoNoopClientIsAdded(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(CapturingClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(StatsClient.class);
			assertThat(context).getBean(StatsClient.class).isInstanceOf(CapturingStatsClient.class);
			assertThat(context).hasSingleBean(StatsClientLifecycle.class);
		});
		assertThat(metricsOffLines(output)).isEmpty();
	}

	@Test
	void userDefinedClientWinsOverTheConfiguredOne() {
		this.contextRunner.withPropertyValues(destination())
			.withUserConfiguration(CapturingClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(StatsClient.class);
				assertThat(context).getBean(StatsClient.class).isInstanceOf(CapturingStatsClient.class);
			});
	}

	@ParameterizedTest
	@CsvSource({ "udp", "tcp", "ws" })
	void createsNoWebClientSenderForAProtocolOtherThanHttp(String protocol) {
		this.contextRunner
			.withPropertyValues("heare.stats.protocol=" + protocol, "heare.stats.dest-host=127.0.0.1",
					"heare.stats.dest-port=" + this.server.getPort(), "heare.stats.secret=s3cret")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(HttpSender.class);
			});
	}

	@Test
	void createsTheWebClientSenderForTheHttpProtocolWhenItIsNamed() {
		this.contextRunner.withPropertyValues(destination())
			.withPropertyValues("heare.stats.protocol=HTTP")
			.run((context) -> assertThat(context).getBean(HttpSender.class).isInstanceOf(WebClientHttpSender.class));
	}

	@Test
	void appliesCustomizersInOrder() {
		this.contextRunner.withPropertyValues(destination())
			.withUserConfiguration(CustomizersConfiguration.class)
			.run((context) -> {
				StatsClient client = context.getBean(StatsClient.class);
				assertThat(context.getBean(CustomizersConfiguration.class).calls).containsExactly("first", "second");
				// The last customizer's prefix wins over heare.stats.prefix.
				assertThat(client)
					.hasToString("HttpClient[http://127.0.0.1:" + this.server.getPort() + "/http, prefix=customized]");
			});
	}

	@Test
	void usesWebClientWhenSpringBootWebClientIsPresent() {
		this.contextRunner.withPropertyValues(destination()).run((context) -> {
			assertThat(context).getBean(HttpSender.class).isInstanceOf(WebClientHttpSender.class);
			assertThat(userAgentOfOneSend(context.getBean(StatsClient.class))).startsWith("ReactorNetty/");
		});
	}

	@Test
	void usesTheClientsOwnHttpSenderWithoutSpringBootWebClient() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClientCustomizer.class))
			.withPropertyValues(destination())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(HttpSender.class);
				assertThat(userAgentOfOneSend(context.getBean(StatsClient.class))).isEqualTo("heare-stats-java");
			});
	}

	@Test
	void sendsThroughTheApplicationsConnectorWhenItHasOne() {
		this.contextRunner.withPropertyValues(destination())
			.withBean("connector", CountingConnector.class, CountingConnector::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				userAgentOfOneSend(context.getBean(StatsClient.class));
				assertThat(context.getBean(CountingConnector.class).uses).hasPositiveValue();
			});
	}

	@Test
	void sendsThroughTheDefaultConnectorWhenTheApplicationHasSeveral() {
		this.contextRunner.withPropertyValues(destination())
			.withBean("first", CountingConnector.class, CountingConnector::new)
			.withBean("second", CountingConnector.class, CountingConnector::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(userAgentOfOneSend(context.getBean(StatsClient.class))).startsWith("ReactorNetty/");
				assertThat(context.getBeansOfType(CountingConnector.class).values())
					.allSatisfy((connector) -> assertThat(connector.uses).hasValue(0));
			});
	}

	@Test
	void anSslBundleWithoutSpringBootWebClientFailsAtStartUpNamingThePropertyAndWhatItNeeds() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClientCustomizer.class))
			.withPropertyValues(destination())
			.withPropertyValues("heare.stats.http.ssl.bundle=metrics")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("heare.stats.http.ssl.bundle")
					.hasMessageContaining("'metrics'")
					.hasMessageContaining("spring-boot-webclient on the classpath");
			});
	}

	@Test
	void anSslBundleWithAProtocolOtherThanHttpFailsAtStartUp() {
		this.contextRunner.withPropertyValues(destination())
			.withPropertyValues("heare.stats.protocol=ws", "heare.stats.http.ssl.bundle=metrics")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("heare.stats.http.ssl.bundle")
					.hasMessageContaining("unset with protocol ws");
			});
	}

	@Test
	void closesTheClientWhenTheContextIsClosed() {
		List<StatsClient> clients = new ArrayList<>();
		this.contextRunner.withPropertyValues(destination())
			.run((context) -> clients.add(context.getBean(StatsClient.class)));
		StatsClient client = clients.get(0);
		client.incr("after.close");
		assertThat(client.telemetry().dropped(DropReason.CLOSED)).isOne();
	}

	@Test
	void keepsTheClientOpenWhileTheContextIsPaused() {
		this.contextRunner.withPropertyValues(destination()).run((context) -> {
			StatsClient client = context.getBean(StatsClient.class);
			context.pause();
			context.restart();
			client.incr("after.restart");
			assertThat(client.telemetry().dropped(DropReason.CLOSED)).isZero();
		});
	}

	@Test
	void sendsWhatIsRecordedWhileTheWebServerStops() throws InterruptedException {
		this.contextRunner.withPropertyValues(destination())
			.withUserConfiguration(WebServerPhasesConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed());
		// The client was closed after both phases, so it sent both counters (merged or
		// not).
		String bodies = String.join("\n", receivedBodies());
		assertThat(bodies).contains("\"app.graceful.shutdown\":1").contains("\"app.web.server.stop\":1");
	}

	@Test
	void closesAfterTheWebServerAndBeforeSharedHttpResources() {
		assertThat(StatsClientLifecycle.PHASE)
			.isLessThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024)
			.isGreaterThan(new ReactorResourceFactory().getPhase());
	}

	/** A connector of the application's that counts the requests it carries. */
	static class CountingConnector implements ClientHttpConnector {

		final AtomicInteger uses = new AtomicInteger();

		private final ClientHttpConnector delegate = new ReactorClientHttpConnector();

		@Override
		public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
				Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
			this.uses.incrementAndGet();
			return this.delegate.connect(method, uri, requestCallback);
		}

	}

	private String[] destination() {
		return new String[] { "heare.stats.dest-host=127.0.0.1", "heare.stats.dest-port=" + this.server.getPort(),
				"heare.stats.secret=s3cret", "heare.stats.prefix=app" };
	}

	private String userAgentOfOneSend(StatsClient client) throws InterruptedException {
		client.incr("requests");
		assertThat(client.flush()).isTrue();
		return this.server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("User-Agent");
	}

	private List<String> receivedBodies() throws InterruptedException {
		List<String> bodies = new ArrayList<>();
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		while (request != null) {
			bodies.add(request.getBody().utf8());
			request = this.server.takeRequest(500, TimeUnit.MILLISECONDS);
		}
		return bodies;
	}

	private static List<String> metricsOffLines(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("heare stats metrics are off")).toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomClientConfiguration {

		@Bean
		StatsClient customStatsClient() {
			return StatsClient.noop();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CapturingClientConfiguration {

		@Bean
		CapturingStatsClient capturingStatsClient() {
			return new CapturingStatsClient();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizersConfiguration {

		final List<String> calls = new ArrayList<>();

		@Bean
		@Order(2)
		StatsClientConfigCustomizer secondCustomizer() {
			return (builder) -> {
				this.calls.add("second");
				builder.prefix("customized");
			};
		}

		@Bean
		@Order(1)
		StatsClientConfigCustomizer firstCustomizer() {
			return (builder) -> {
				this.calls.add("first");
				builder.set(StatsClientConfig.HTTP_REQUEST_TIMEOUT, Duration.ofSeconds(3));
				builder.prefix("first");
			};
		}

	}

	/**
	 * Stands in for the web server: records a metric in each of the phases in which
	 * Spring Boot's web server stops.
	 */
	@Configuration(proxyBeanMethods = false)
	static class WebServerPhasesConfiguration {

		@Bean
		SmartLifecycle gracefulShutdown(StatsClient client) {
			return new RecordingLifecycle(client, "graceful.shutdown",
					WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
		}

		@Bean
		SmartLifecycle webServerStop(StatsClient client) {
			return new RecordingLifecycle(client, "web.server.stop",
					WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024);
		}

	}

	static final class RecordingLifecycle implements SmartLifecycle {

		private final StatsClient client;

		private final String name;

		private final int phase;

		private volatile boolean running;

		RecordingLifecycle(StatsClient client, String name, int phase) {
			this.client = client;
			this.name = name;
			this.phase = phase;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.client.incr(this.name);
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
