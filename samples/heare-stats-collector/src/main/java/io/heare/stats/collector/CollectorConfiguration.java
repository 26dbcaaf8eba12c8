package io.heare.stats.collector;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * Wires the collector: the store, the StatsD listeners, authentication, the WebSocket
 * endpoint and, when {@code collector.forward.host} is set, the relay.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
public class CollectorConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CollectorConfiguration.class);

	@Bean
	CollectorTotals collectorTotals() {
		return new CollectorTotals();
	}

	@Bean
	MetricStore metricStore(CollectorProperties properties, ObjectProvider<ForwardBuffer> forwardBuffer) {
		ForwardBuffer buffer = forwardBuffer.getIfAvailable();
		return new MetricStore(properties.getReservoirSize(), (buffer != null) ? buffer : MetricRecorder.NONE);
	}

	@Bean
	StatsdServers statsdServers(CollectorProperties properties, MetricStore store, CollectorTotals totals) {
		return new StatsdServers(properties.getBindAddress(), properties.getStatsdPort(),
				new StatsdIngester(store, totals));
	}

	@Bean
	BasicAuthWebFilter basicAuthWebFilter(CollectorProperties properties, CollectorTotals totals) {
		return new BasicAuthWebFilter(properties.getSecret(), totals);
	}

	@Bean
	HandlerMapping webSocketMapping(MetricStore store, CollectorTotals totals) {
		// Ahead of the annotated controllers' mapping, so /ws is never taken by them.
		return new SimpleUrlHandlerMapping(Map.of("/ws", new WebSocketIngestHandler(store, totals)), -1);
	}

	/**
	 * Relay mode, on when {@code collector.forward.host} is set.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "collector.forward", name = "host")
	static class RelayConfiguration {

		@Bean
		ForwardBuffer forwardBuffer(CollectorProperties properties) {
			return new ForwardBuffer(properties.getReservoirSize());
		}

		@Bean
		Forwarder forwarder(CollectorProperties properties) {
			JdkHttpForwarder forwarder = new JdkHttpForwarder(properties.getForward());
			logger.info("Relay mode: forwarding to {} every {}", forwarder.uri(),
					properties.getForward().getInterval());
			return forwarder;
		}

		@Bean
		RelayFlusher relayFlusher(CollectorProperties properties, ForwardBuffer buffer, Forwarder forwarder,
				CollectorTotals totals) {
			return new RelayFlusher(buffer, forwarder, properties.getForward().getInterval(), totals);
		}

	}

}
