package io.heare.stats.autoconfigure;

import org.junit.jupiter.api.Test;

import io.heare.stats.client.HttpClient;
import io.heare.stats.client.TcpClient;
import io.heare.stats.client.UdpClient;
import io.heare.stats.client.WsClient;
import io.heare.stats.client.StatsdFlavor;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.RetryPolicy;
import io.heare.stats.client.StatsClientBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareStatsProperties}.
 */
class HeareStatsPropertiesTests {

	@Test
	void defaultValuesAreConsistent() {
		HeareStatsProperties properties = new HeareStatsProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getProtocol()).isEqualTo(Protocol.HTTP);
		assertThat(properties.getMaxNames()).isEqualTo(StatsClientBuilder.DEFAULT_MAX_NAMES);
		assertThat(properties.getMaxPendingValues()).isEqualTo(StatsClientBuilder.DEFAULT_MAX_PENDING_VALUES);
		assertThat(properties.getLinger()).isEqualTo(StatsClientBuilder.DEFAULT_LINGER);
		assertThat(properties.getFlushTimeout()).isEqualTo(StatsClientBuilder.DEFAULT_FLUSH_TIMEOUT);
		assertThat(properties.getCloseTimeout()).isEqualTo(StatsClientBuilder.DEFAULT_CLOSE_TIMEOUT);
		HeareStatsProperties.Retry retry = properties.getRetry();
		assertThat(new RetryPolicy(retry.getInitialBackoff(), retry.getMaxBackoff(), retry.getMultiplier(),
				retry.getJitter()))
			.isEqualTo(RetryPolicy.DEFAULT);
		HeareStatsProperties.Http http = properties.getHttp();
		assertThat(http.getScheme()).isNull();
		assertThat(http.getConnectTimeout()).isEqualTo(HttpClient.Builder.DEFAULT_CONNECT_TIMEOUT);
		assertThat(http.getRequestTimeout()).isEqualTo(HttpClient.Builder.DEFAULT_REQUEST_TIMEOUT);
		assertThat(http.getMaxBatchSize()).isEqualTo(HttpClient.Builder.DEFAULT_MAX_BATCH_SIZE);
		assertThat(http.getMaxBatchBytes()).isEqualTo(HttpClient.Builder.DEFAULT_MAX_BATCH_BYTES);
		assertThat(http.getSsl().getBundle()).isNull();
		// The ws protocol shares the http group.
		assertThat(http.getConnectTimeout()).isEqualTo(WsClient.Builder.DEFAULT_CONNECT_TIMEOUT);
		assertThat(http.getRequestTimeout()).isEqualTo(WsClient.Builder.DEFAULT_SEND_TIMEOUT);
		assertThat(http.getMaxBatchSize()).isEqualTo(WsClient.Builder.DEFAULT_MAX_BATCH_SIZE);
		HeareStatsProperties.Statsd statsd = properties.getStatsd();
		assertThat(statsd.getMaxPacketSize()).isEqualTo(UdpClient.Builder.DEFAULT_MAX_PACKET_SIZE);
		assertThat(statsd.getMaxPacketsPerSecond()).isEqualTo(UdpClient.Builder.DEFAULT_MAX_PACKETS_PER_SECOND);
		assertThat(statsd.getHostRefreshInterval()).isEqualTo(UdpClient.Builder.DEFAULT_HOST_REFRESH_INTERVAL);
		assertThat(statsd.getFlavor()).isEqualTo(StatsdFlavor.HEARE);
		assertThat(statsd.getHistogramType()).as("no override of the flavor's type").isNull();
		assertThat(statsd.getConnectTimeout()).isEqualTo(TcpClient.Builder.DEFAULT_CONNECT_TIMEOUT);
		assertThat(statsd.getWriteTimeout()).isEqualTo(TcpClient.Builder.DEFAULT_WRITE_TIMEOUT);
	}

	@Test
	void toStringNeverShowsTheSecret() {
		HeareStatsProperties properties = new HeareStatsProperties();
		properties.setDestHost("metrics.example.com");
		properties.setSecret("s3cr3t-value");
		assertThat(properties.toString()).contains("metrics.example.com").doesNotContain("s3cr3t-value");
	}

}
