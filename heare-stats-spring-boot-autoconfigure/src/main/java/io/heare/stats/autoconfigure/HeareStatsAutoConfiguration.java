package io.heare.stats.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientSsl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.heare.stats.client.InvalidSettingException;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.transport.HttpSender;
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

	// Registered after the nested configurations' beans, so a real client comes first.
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

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(StatsClient.class)
	StatsClientLifecycle heareStatsClientLifecycle(StatsClient heareStatsClient) {
		return new StatsClientLifecycle(heareStatsClient);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "heare.stats.enabled", matchIfMissing = true)
	@Conditional(OnDestHostCondition.class)
	static class StatsClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StatsClient heareStatsClient(HeareStatsProperties properties,
				ObjectProvider<StatsClientBuilderCustomizer> customizers, ObjectProvider<HttpSender> httpSender) {
			return new HeareStatsPropertiesClientFactory(properties, customizers.orderedStream().toList(),
					httpSender.getIfAvailable())
				.createClient();
		}

	}

	/**
	 * The WebClient transport. Its {@code WebClient} is built here, not from the
	 * application's {@code WebClient.Builder}: only what concerns the connection (the
	 * connector, with its proxy and pool settings, and an SSL bundle) carries over, never the
	 * application's filters, default headers or cookies, which could send application
	 * credentials to the metrics service or log its secret.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, WebClientCustomizer.class })
	@ConditionalOnBooleanProperty(name = "heare.stats.enabled", matchIfMissing = true)
	@Conditional(OnDestHostCondition.class)
	static class WebClientHttpSenderConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpSender heareStatsHttpSender(HeareStatsProperties properties, ObjectProvider<ClientHttpConnector> connector,
				ObjectProvider<WebClientSsl> webClientSsl) {
			WebClient.Builder builder = WebClient.builder();
			String bundle = properties.getHttp().getSsl().getBundle();
			if (bundle != null && !bundle.isBlank()) {
				WebClientSsl ssl = webClientSsl.getIfAvailable();
				if (ssl == null) {
					throw new InvalidSettingException("heare.stats.http.ssl.bundle", bundle,
							"the name of an SSL bundle, with Spring Boot's SSL bundles (spring.ssl.bundle.*) configured");
				}
				try {
					builder.apply(ssl.fromBundle(bundle));
				}
				catch (NoSuchSslBundleException ex) {
					InvalidSettingException invalid = new InvalidSettingException("heare.stats.http.ssl.bundle",
							bundle, "the name of an SSL bundle configured under spring.ssl.bundle.*");
					invalid.initCause(ex);
					throw invalid;
				}
			}
			else {
				connector.ifAvailable(builder::clientConnector);
			}
			return new WebClientHttpSender(builder.build());
		}

	}

}
