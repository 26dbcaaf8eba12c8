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
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, WebClientCustomizer.class })
	@ConditionalOnBooleanProperty(name = "heare.stats.enabled", matchIfMissing = true)
	@Conditional(OnDestHostCondition.class)
	static class WebClientHttpSenderConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpSender heareStatsHttpSender(ObjectProvider<WebClient.Builder> webClientBuilder) {
			return new WebClientHttpSender(webClientBuilder.getIfAvailable(WebClient::builder).build());
		}

	}

}
