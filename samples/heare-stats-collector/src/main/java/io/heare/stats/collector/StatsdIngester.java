package io.heare.stats.collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies StatsD lines to the {@link MetricStore} and keeps the line totals. Shared by
 * the UDP and TCP listeners.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class StatsdIngester {

	private static final Logger logger = LoggerFactory.getLogger(StatsdIngester.class);

	private final MetricStore store;

	private final CollectorTotals totals;

	/**
	 * Creates a new instance.
	 * @param store where metrics go
	 * @param totals where line totals go
	 */
	public StatsdIngester(MetricStore store, CollectorTotals totals) {
		this.store = store;
		this.totals = totals;
	}

	/**
	 * Applies every line of a payload such as a UDP datagram.
	 * @param payload lines joined by {@code \n}
	 */
	public void acceptPayload(String payload) {
		int start = 0;
		while (start <= payload.length()) {
			int end = payload.indexOf('\n', start);
			if (end < 0) {
				end = payload.length();
			}
			acceptLine(payload.substring(start, end));
			start = end + 1;
		}
	}

	/**
	 * Counts a line that was refused before parsing.
	 * @param reason why, for the debug log
	 */
	public void rejectLine(String reason) {
		this.totals.statsdBadLines.incrementAndGet();
		logger.debug("Skipped bad StatsD line: {}", reason);
	}

	/**
	 * Counts a TCP connection that was closed at once because the maximum number of
	 * connections was being served.
	 */
	public void refuseConnection() {
		this.totals.statsdTcpConnectionsRefused.incrementAndGet();
		logger.debug("Refused a StatsD TCP connection: too many open");
	}

	/**
	 * Applies one line. Empty lines (such as after a trailing {@code \n}) are ignored.
	 * @param line the line without its terminator
	 */
	public void acceptLine(String line) {
		if (line.isEmpty() || line.equals("\r")) {
			return;
		}
		StatsdLine parsed;
		try {
			parsed = StatsdLineParser.parse(line);
		}
		catch (IllegalArgumentException ex) {
			this.totals.statsdBadLines.incrementAndGet();
			logger.debug("Skipped bad StatsD line '{}': {}", line, ex.getMessage());
			return;
		}
		switch (parsed.type()) {
			case COUNTER -> this.store.counter(parsed.name(), parsed.value() / parsed.sampleRate());
			case GAUGE -> {
				if (parsed.delta()) {
					this.store.gaugeDelta(parsed.name(), parsed.value());
				}
				else {
					this.store.gauge(parsed.name(), parsed.value());
				}
			}
			case TIMER -> this.store.timer(parsed.name(), parsed.value());
			case HISTOGRAM -> this.store.histogram(parsed.name(), parsed.value());
			case SET -> this.totals.statsdSetsSkipped.incrementAndGet();
		}
		// Counted after it is stored, so that a reader who sees the total also sees the
		// line's data.
		this.totals.statsdLines.incrementAndGet();
	}

}
