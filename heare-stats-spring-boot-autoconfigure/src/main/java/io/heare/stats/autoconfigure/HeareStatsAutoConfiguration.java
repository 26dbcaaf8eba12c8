package io.heare.stats.autoconfigure;

import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientSsl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.heare.stats.client.HttpSender;
import io.heare.stats.client.InvalidSettingException;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.webclient.WebClientHttpSender;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the heare stats
 * {@link StatsClient}. Without {@code heare.stats.dest-host}, or with
 * {@code heare.stats.enabled=false}, the client is {@link StatsClient#noop()}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@EnableConfigurationProperties(HeareStatsProperties.class)
public final class HeareStatsAutoConfiguration {

	private static final Log logger = LogFactory.getLog(HeareStatsAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(StatsClient.class)
	StatsClientLifecycle heareStatsClientLifecycle(StatsClient heareStatsClient) {
		return new StatsClientLifecycle(heareStatsClient);
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(MetricsOnCondition.class)
	static class StatsClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StatsClient heareStatsClient(HeareStatsProperties properties,
				ObjectProvider<StatsClientConfigCustomizer> customizers, ObjectProvider<HttpSender> httpSender) {
			HttpSender sender = httpSender.getIfAvailable();
			String bundle = sslBundle(properties);
			if (bundle != null && sender == null) {
				throw new InvalidSettingException("heare.stats.http.ssl.bundle", bundle,
						"unset, or spring-boot-webclient on the classpath: an SSL bundle applies to the WebClient "
								+ "transport only, and without spring-boot-webclient the JDK transport is in use");
			}
			return StatsClient.create(
					HeareStatsPropertiesConfigAdapter.config(properties, customizers.orderedStream().toList(), sender));
		}

	}

	/**
	 * The no-op client, when metrics are off: {@code heare.stats.enabled=false} or no
	 * {@code heare.stats.dest-host}. The condition is the exact complement of
	 * {@link StatsClientConfiguration}'s, so the two never both apply.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(MetricsOffCondition.class)
	static class NoOpStatsClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StatsClient heareStatsClient(HeareStatsProperties properties) {
			if (!properties.isEnabled()) {
				logger.info("heare stats metrics are off because heare.stats.enabled is false; "
						+ "set heare.stats.enabled=true (and heare.stats.dest-host) to send them");
			}
			else {
				logger.info("heare stats metrics are off because no destination is configured; "
						+ "set heare.stats.dest-host (or STATS_CLIENT_SETTINGS__DEST_HOST) to send them");
			}
			return StatsClient.noop();
		}

	}

	/**
	 * Matches when metrics are on: {@code heare.stats.enabled} is not false and
	 * {@code heare.stats.dest-host} is set.
	 */
	static final class MetricsOnCondition extends AllNestedConditions {

		MetricsOnCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty(name = "heare.stats.enabled", matchIfMissing = true)
		static class Enabled {

		}

		@Conditional(OnDestHostCondition.class)
		static class DestinationSet {

		}

	}

	/**
	 * Matches when metrics are off: the exact complement of {@link MetricsOnCondition}.
	 */
	static final class MetricsOffCondition extends NoneNestedConditions {

		MetricsOffCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@Conditional(MetricsOnCondition.class)
		static class MetricsOn {

		}

	}

	/**
	 * The WebClient transport. Its {@code WebClient} is built here, not from the
	 * application's {@code WebClient.Builder}: only what concerns the connection (the
	 * connector, with its proxy and pool settings, and an SSL bundle) carries over, never
	 * the application's filters, default headers or cookies, which could send application
	 * credentials to the metrics service or log its secret.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, WebClientCustomizer.class })
	@Conditional(MetricsOnCondition.class)
	@ConditionalOnProperty(name = "heare.stats.protocol", havingValue = "http", matchIfMissing = true)
	static class WebClientHttpSenderConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpSender heareStatsHttpSender(HeareStatsProperties properties, ObjectProvider<ClientHttpConnector> connector,
				ObjectProvider<WebClientSsl> webClientSsl) {
			WebClient.Builder builder = WebClient.builder();
			String bundle = sslBundle(properties);
			if (bundle != null) {
				WebClientSsl ssl = webClientSsl.getIfAvailable();
				if (ssl == null) {
					throw new InvalidSettingException("heare.stats.http.ssl.bundle", bundle,
							"the name of an SSL bundle, with Spring Boot's SSL bundles (spring.ssl.bundle.*) configured");
				}
				try {
					builder.apply(ssl.fromBundle(bundle));
				}
				catch (NoSuchSslBundleException ex) {
					InvalidSettingException invalid = new InvalidSettingException("heare.stats.http.ssl.bundle", bundle,
							"the name of an SSL bundle configured under spring.ssl.bundle.*");
					invalid.initCause(ex);
					throw invalid;
				}
			}
			else {
				// An application with several connectors has none for metrics to pick:
				// the default.
				connector.ifUnique(builder::clientConnector);
			}
			return new WebClientHttpSender(builder.build());
		}

	}

	/**
	 * The SSL bundle's name, or {@code null} when none is set. The bundle is applied by
	 * the http protocol's WebClient transport only: anywhere else it would be ignored,
	 * and metrics would go out with the JDK's default trust instead, so that fails
	 * start-up.
	 */
	static @Nullable String sslBundle(HeareStatsProperties properties) {
		String bundle = properties.getHttp().getSsl().getBundle();
		if (bundle == null || bundle.isBlank()) {
			return null;
		}
		if (properties.getProtocol() != Protocol.HTTP) {
			throw new InvalidSettingException("heare.stats.http.ssl.bundle", bundle,
					"unset with protocol " + properties.getProtocol().name().toLowerCase(Locale.ROOT)
							+ ": an SSL bundle applies to the http protocol's WebClient transport only");
		}
		return bundle;
	}

}
