package io.heare.stats.collector;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

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

	/** Largest WebSocket message, fragments included; matches spring.codec.max-in-memory-size. */
	private static final int MAX_WEBSOCKET_MESSAGE = 16 * 1024 * 1024;

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
	WebFluxConfigurer largeWebSocketFrames() {
		return new WebFluxConfigurer() {
			@Override
			public WebSocketService getWebSocketService() {
				// Reactor Netty's 64 KB default would refuse the big batches of a load test.
				return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
						() -> WebsocketServerSpec.builder().maxFramePayloadLength(MAX_WEBSOCKET_MESSAGE)));
			}
		};
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
		HeareClientForwarder forwarder(CollectorProperties properties) {
			HeareClientForwarder forwarder = new HeareClientForwarder(properties.getForward());
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
