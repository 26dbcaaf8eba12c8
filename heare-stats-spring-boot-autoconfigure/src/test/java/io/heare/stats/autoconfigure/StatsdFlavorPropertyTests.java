package io.heare.stats.autoconfigure;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@code heare.stats.statsd.flavor} and
 * {@code heare.stats.statsd.histogram-type} decide the StatsD lines the auto-configured
 * client sends.
 */
class StatsdFlavorPropertyTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HeareStatsAutoConfiguration.class));

	private DatagramSocket socket;

	@BeforeEach
	void listen() throws Exception {
		this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
		this.socket.setSoTimeout(5_000);
	}

	@AfterEach
	void close() {
		this.socket.close();
	}

	@ParameterizedTest
	@CsvSource({ "'', 'lat:5|ms', 'size:9|h'", "heare, 'lat:5|ms', 'size:9|h'",
			"etsy, 'lat:5|ms|@0.999999', 'size:9|ms'", "datadog, 'lat:5|ms|@0.999999', 'size:9|h'" })
	void theFlavorDecidesRatesAndTheHistogramType(String flavor, String timerLine, String histogramLine)
			throws Exception {
		this.contextRunner
			.withPropertyValues("heare.stats.protocol=udp", "heare.stats.dest-host=127.0.0.1",
					"heare.stats.dest-port=" + this.socket.getLocalPort(), "heare.stats.statsd.flavor=" + flavor)
			.run((context) -> {
				StatsClient client = context.getBean(StatsClient.class);
				// One batch, so one datagram. Sampled out once in a million runs.
				try (Pipeline pipe = client.pipeline()) {
					pipe.time("lat", 5, 0.999999).hist("size", 9);
				}
				assertThat(client.flush()).isTrue();
				assertThat(receiveLines()).contains(timerLine, histogramLine);
			});
	}

	@ParameterizedTest
	@CsvSource({ "heare, d", "etsy, h" })
	void theHistogramTypeOverridesTheFlavor(String flavor, String type) throws Exception {
		this.contextRunner
			.withPropertyValues("heare.stats.protocol=udp", "heare.stats.dest-host=127.0.0.1",
					"heare.stats.dest-port=" + this.socket.getLocalPort(), "heare.stats.statsd.flavor=" + flavor,
					"heare.stats.statsd.histogram-type=" + type)
			.run((context) -> {
				StatsClient client = context.getBean(StatsClient.class);
				client.hist("size", 9);
				assertThat(client.flush()).isTrue();
				assertThat(receiveLines()).contains("size:9|" + type);
			});
	}

	private String receiveLines() throws Exception {
		DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
		this.socket.receive(packet);
		return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
	}

}
