package io.heare.stats.collector;

import java.net.URI;

import io.heare.stats.client.HttpClient;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;

/**
 * {@link Forwarder} on the project's own {@link HttpClient}, the same client applications
 * use: a batch is recorded into one pipeline and the client delivers it, retrying with
 * backoff and merging later batches into a waiting one, so the relay never re-sends a
 * batch by itself and nothing is counted twice.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class HeareClientForwarder implements Forwarder, AutoCloseable {

	private final StatsClient client;

	private final URI uri;

	/**
	 * Creates a forwarder from the relay settings.
	 * @param forward the settings; host, port and secret must be set
	 */
	public HeareClientForwarder(CollectorProperties.Forward forward) {
		if (forward.getPort() == null) {
			throw new IllegalStateException("collector.forward.port is required when collector.forward.host is set");
		}
		if (forward.getSecret() == null || forward.getSecret().isBlank()) {
			throw new IllegalStateException("collector.forward.secret is required when collector.forward.host is set "
					+ "(the heare service's secret)");
		}
		StatsClientConfig config = StatsClientConfig.builder()
			.protocol(Protocol.HTTP)
			.destHost(forward.getHost())
			.destPort(forward.getPort())
			.secret(forward.getSecret())
			.set(StatsClientConfig.HTTP_SCHEME, forward.getScheme())
			.set(StatsClientConfig.HTTP_REQUEST_TIMEOUT, forward.getTimeout())
			.set(StatsClientConfig.FLUSH_TIMEOUT, forward.getTimeout())
			// The relay's last flush runs when the application context closes; a JVM hook
			// closing the client first would turn it away.
			.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false)
			.build();
		String scheme = (forward.getScheme() != null) ? forward.getScheme()
				: ((forward.getPort() == 443) ? "https" : "http");
		this.uri = URI.create(scheme + "://" + forward.getHost() + ":" + forward.getPort() + "/http");
		this.client = StatsClient.create(config);
	}

	/**
	 * Returns where batches are sent.
	 * @return the {@code /http} URI
	 */
	public URI uri() {
		return this.uri;
	}

	@Override
	public boolean forward(MetricBatch batch) {
		try (Pipeline pipe = this.client.pipeline()) {
			batch.counters().forEach(pipe::incr);
			batch.gauges().forEach(pipe::gauge);
			batch.timers().forEach((name, values) -> values.forEach((value) -> pipe.time(name, value)));
			batch.histograms().forEach((name, values) -> values.forEach((value) -> pipe.hist(name, value)));
		}
		return this.client.flush();
	}

	@Override
	public void close() {
		this.client.close();
	}

}
