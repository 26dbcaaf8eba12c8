package io.heare.stats.collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * {@code /ws}: every text frame is one JSON batch, the same object as the HTTP body. A
 * bad frame is counted and skipped but keeps the connection open, because a client cannot
 * tell which of its queued frames was refused; binary frames count as bad.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class WebSocketIngestHandler implements WebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(WebSocketIngestHandler.class);

	private final MetricStore store;

	private final CollectorTotals totals;

	/**
	 * Creates a new instance.
	 * @param store where metrics go
	 * @param totals where frame totals go
	 */
	public WebSocketIngestHandler(MetricStore store, CollectorTotals totals) {
		this.store = store;
		this.totals = totals;
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		return session.receive().doOnNext(this::accept).then();
	}

	private void accept(WebSocketMessage message) {
		if (message.getType() != WebSocketMessage.Type.TEXT) {
			if (message.getType() == WebSocketMessage.Type.BINARY) {
				this.totals.rejectedMalformed.incrementAndGet();
				logger.info("Rejected binary WebSocket frame");
			}
			return;
		}
		try {
			this.store.record(MetricBatchJson.read(message.getPayloadAsText()));
		}
		catch (MalformedBatchException ex) {
			this.totals.rejectedMalformed.incrementAndGet();
			logger.info("Rejected WebSocket frame: {}", ex.getMessage());
			return;
		}
		this.totals.requestsAccepted.incrementAndGet();
		this.totals.wsFramesAccepted.incrementAndGet();
	}

}
