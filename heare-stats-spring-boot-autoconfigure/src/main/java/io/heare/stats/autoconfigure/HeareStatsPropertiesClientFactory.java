package io.heare.stats.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.heare.stats.client.HttpClient;
import io.heare.stats.client.TcpClient;
import io.heare.stats.client.UdpClient;
import io.heare.stats.client.WsClient;
import io.heare.stats.client.InvalidSettingException;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.RetryPolicy;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientBuilder;
import io.heare.stats.client.HttpSender;

/**
 * Creates the core {@link StatsClient} that {@link HeareStatsProperties} describe, so that
 * the core never sees Spring. Every {@link InvalidSettingException} it throws names the
 * property ({@code heare.stats.dest-port}) rather than the core's setting
 * ({@code dest_port}).
 *
 * @author heare-stats
 * @since 0.1.0
 */
public final class HeareStatsPropertiesClientFactory {

	private static final String PREFIX = "heare.stats.";

	private static final Set<String> HTTP_SETTINGS = Set.of("scheme", "connect_timeout", "request_timeout",
			"max_batch_size", "max_batch_bytes");

	// The ws client's names for what the shared http group sets.
	private static final Map<String, String> WS_SETTINGS = Map.of("scheme", "http.scheme", "connect_timeout",
			"http.connect-timeout", "send_timeout", "http.request-timeout", "max_batch_size", "http.max-batch-size");

	private static final Set<String> STATSD_SETTINGS = Set.of("max_packet_size", "max_packets_per_second",
			"flavor", "histogram_type", "host_refresh_interval", "connect_timeout", "write_timeout");

	private final HeareStatsProperties properties;

	private final List<StatsClientBuilderCustomizer> customizers;

	private final @Nullable HttpSender httpSender;

	/**
	 * Creates a factory.
	 * @param properties the properties
	 * @param customizers applied, in order, after the properties
	 * @param httpSender the HTTP transport, or {@code null} for the core's JDK transport
	 */
	public HeareStatsPropertiesClientFactory(HeareStatsProperties properties,
			List<StatsClientBuilderCustomizer> customizers, @Nullable HttpSender httpSender) {
		this.properties = properties;
		this.customizers = List.copyOf(customizers);
		this.httpSender = httpSender;
	}

	/**
	 * Creates and starts the client.
	 * @return the client
	 * @throws InvalidSettingException if a property has a value the client cannot work with
	 */
	public StatsClient createClient() {
		Protocol protocol = this.properties.getProtocol();
		try {
			return switch (protocol) {
				case HTTP -> http();
				case UDP -> udp();
				case TCP -> tcp();
				case WS -> ws();
			};
		}
		catch (InvalidSettingException ex) {
			throw toProperty(ex, protocol);
		}
	}

	private StatsClient http() {
		HeareStatsProperties.Http http = this.properties.getHttp();
		HttpClient.Builder builder = HttpClient.builder(this.properties.getDestHost(), port())
			.scheme(http.getScheme())
			.connectTimeout(http.getConnectTimeout())
			.requestTimeout(http.getRequestTimeout())
			.maxBatchSize(http.getMaxBatchSize())
			.maxBatchBytes(http.getMaxBatchBytes());
		if (this.httpSender != null) {
			builder.httpSender(this.httpSender);
		}
		return configure(builder).build();
	}

	private StatsClient udp() {
		HeareStatsProperties.Statsd statsd = this.properties.getStatsd();
		return configure(UdpClient.builder(this.properties.getDestHost(), port())
			.maxPacketSize(statsd.getMaxPacketSize())
			.maxPacketsPerSecond(statsd.getMaxPacketsPerSecond())
			.hostRefreshInterval(statsd.getHostRefreshInterval())
			.flavor(statsd.getFlavor())
			.histogramType(statsd.getHistogramType())).build();
	}

	private StatsClient tcp() {
		HeareStatsProperties.Statsd statsd = this.properties.getStatsd();
		return configure(TcpClient.builder(this.properties.getDestHost(), port())
			.connectTimeout(statsd.getConnectTimeout())
			.writeTimeout(statsd.getWriteTimeout())
			.flavor(statsd.getFlavor())
			.histogramType(statsd.getHistogramType())).build();
	}

	private StatsClient ws() {
		HeareStatsProperties.Http http = this.properties.getHttp();
		return configure(WsClient.builder(this.properties.getDestHost(), port())
			.scheme(webSocketScheme(http.getScheme()))
			.connectTimeout(http.getConnectTimeout())
			.sendTimeout(http.getRequestTimeout())
			.maxBatchSize(http.getMaxBatchSize())).build();
	}

	// The ws protocol shares heare.stats.http.*, where the scheme is naturally written http or https.
	private static @Nullable String webSocketScheme(@Nullable String scheme) {
		if ("http".equals(scheme)) {
			return "ws";
		}
		return "https".equals(scheme) ? "wss" : scheme;
	}

	private int port() {
		Integer port = this.properties.getDestPort();
		if (port == null) {
			throw new InvalidSettingException("dest_port", null, "a port between 1 and 65535");
		}
		return port;
	}

	private <B extends StatsClientBuilder<B, ?>> B configure(B builder) {
		HeareStatsProperties.Retry retry = this.properties.getRetry();
		builder.secret(this.properties.getSecret())
			.prefix(this.properties.getPrefix())
			.maxNames(this.properties.getMaxNames())
			.maxPendingValues(this.properties.getMaxPendingValues())
			.linger(this.properties.getLinger())
			.flushTimeout(this.properties.getFlushTimeout())
			.closeTimeout(this.properties.getCloseTimeout())
			// The application context closes the client after the web server has stopped; a
			// JVM hook could close it first and drop what in-flight requests still record.
			.closeOnShutdown(false)
			.retryPolicy(new RetryPolicy(retry.getInitialBackoff(), retry.getMaxBackoff(), retry.getMultiplier(),
					retry.getJitter()));
		this.customizers.forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

	private static InvalidSettingException toProperty(InvalidSettingException ex, Protocol protocol) {
		if (ex.getSetting().startsWith(PREFIX)) {
			return ex;
		}
		InvalidSettingException translated = new InvalidSettingException(propertyName(ex.getSetting(), protocol),
				ex.getValue(), ex.getAllowed());
		translated.initCause(ex);
		return translated;
	}

	/**
	 * The property that sets the core's {@code setting} for {@code protocol}.
	 * @param setting the core's setting name, for example {@code dest_port}
	 * @param protocol the configured protocol
	 * @return the property name, for example {@code heare.stats.dest-port}
	 */
	static String propertyName(String setting, Protocol protocol) {
		String group = "";
		if (protocol == Protocol.WS && WS_SETTINGS.containsKey(setting)) {
			return PREFIX + WS_SETTINGS.get(setting);
		}
		if (protocol == Protocol.HTTP && HTTP_SETTINGS.contains(setting)) {
			group = "http.";
		}
		else if ((protocol == Protocol.UDP || protocol == Protocol.TCP) && STATSD_SETTINGS.contains(setting)) {
			group = "statsd.";
		}
		return PREFIX + group + setting.replace('_', '-');
	}

}
