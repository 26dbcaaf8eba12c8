package io.heare.stats.collector;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
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

	/**
	 * Largest WebSocket message, fragments included; matches
	 * spring.codec.max-in-memory-size.
	 */
	private static final int MAX_WEBSOCKET_MESSAGE = 16 * 1024 * 1024;

	@Bean
	CollectorTotals collectorTotals() {
		return new CollectorTotals();
	}

	@Bean
	MetricStore metricStore(CollectorProperties properties, ObjectProvider<ForwardBuffer> forwardBuffer) {
		requirePositive("collector.reservoir-size", properties.getReservoirSize());
		requirePositive("collector.max-names", properties.getMaxNames());
		requirePositive("collector.max-name-length", properties.getMaxNameLength());
		ForwardBuffer buffer = forwardBuffer.getIfAvailable();
		return new MetricStore(properties.getReservoirSize(), properties.getMaxNames(), properties.getMaxNameLength(),
				(buffer != null) ? buffer : MetricRecorder.NONE);
	}

	@Bean
	StatsdServers statsdServers(CollectorProperties properties, MetricStore store, CollectorTotals totals) {
		requirePositive("collector.max-tcp-connections", properties.getMaxTcpConnections());
		Duration idleTimeout = properties.getTcpIdleTimeout();
		if (idleTimeout.toMillis() < 1 || idleTimeout.toMillis() > Integer.MAX_VALUE) {
			throw new IllegalStateException(
					"collector.tcp-idle-timeout must be between 1ms and 24d (such as 5m), but was " + idleTimeout);
		}
		return new StatsdServers(properties.getBindAddress(), properties.getStatsdPort(),
				new StatsdIngester(store, totals), properties.getMaxTcpConnections(), (int) idleTimeout.toMillis());
	}

	@Bean
	CollectorStatus collectorStatus(CollectorTotals totals, MetricStore store, CollectorProperties properties,
			ObjectProvider<ForwardBuffer> forwardBuffer) {
		return new CollectorStatus(totals, store, properties.getMaxNames(), forwardBuffer.getIfAvailable());
	}

	@Bean
	MetricHistory metricHistory(CollectorProperties properties) {
		Duration interval = properties.getHistory().getInterval();
		Duration length = properties.getHistory().getLength();
		if (interval.toMillis() < 10) {
			throw new IllegalStateException(
					"collector.history.interval must be at least 10ms (such as 1s), but was " + interval);
		}
		if (length.compareTo(interval) < 0 || length.dividedBy(interval) > 100_000) {
			throw new IllegalStateException("collector.history.length must be between collector.history.interval ("
					+ interval + ") and 100000 times it (such as 15m), but was " + length);
		}
		return new MetricHistory((int) length.dividedBy(interval), interval.toMillis());
	}

	@Bean
	HistorySampler historySampler(MetricHistory history, MetricStore store, CollectorProperties properties) {
		return new HistorySampler(history, store, properties.getHistory().getInterval());
	}

	private static void requirePositive(String property, int value) {
		if (value < 1) {
			throw new IllegalStateException(property + " must be at least 1, but was " + value);
		}
	}

	@Bean
	BasicAuthWebFilter basicAuthWebFilter(CollectorProperties properties, CollectorTotals totals) {
		return new BasicAuthWebFilter(properties.getSecret(), totals);
	}

	@Bean
	NettyServerCustomizer readAfterPipelinedRequests() {
		return ReadAfterPipelinedRequests.customizer();
	}

	@Bean
	WebFluxConfigurer largeWebSocketFrames() {
		return new WebFluxConfigurer() {
			@Override
			public WebSocketService getWebSocketService() {
				// Reactor Netty's 64 KB default would refuse the big batches of a load
				// test.
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
			requirePositive("collector.forward.max-buffered-values", properties.getForward().getMaxBufferedValues());
			return new ForwardBuffer(properties.getReservoirSize(), properties.getForward().getMaxBufferedValues());
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
