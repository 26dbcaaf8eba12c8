package io.heare.stats.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for the dashboard page, rendered by a real headless Chromium. Skipped when
 * {@code /usr/bin/chromium} is absent (CI installs Debian's {@code chromium}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "collector.statsd-port=0")
class DashboardChromiumTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	@LocalServerPort
	int port;

	CollectorClient client;

	@BeforeEach
	void reset() {
		this.client = new CollectorClient(this.port);
		this.client.reset();
	}

	@Test
	void dashboardShowsLiveMetrics(@TempDir Path profile) throws Exception {
		assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed");
		assertThat(this.client.postHttp("""
				{"counters": {"dash.requests": 42}, "gauges": {"dash.temperature": -5, "dash.load": 0.75},
				 "timers": {"dash.latency": [10, 20, 30, 40]}, "histograms": {"dash.size": [512, 2048]}}""")
			.statusCode()).isEqualTo(200);

		String dom = dumpDom(profile);

		assertThat(dom).contains("data-metric=\"dash.requests\"", "data-metric=\"dash.temperature\"",
				"data-metric=\"dash.latency\"", "data-metric=\"dash.size\"");
		assertThat(row(dom, "dash.requests")).contains(">42<");
		assertThat(row(dom, "dash.temperature")).contains(">-5<");
		assertThat(row(dom, "dash.load")).contains(">0.75<");
		assertThat(row(dom, "dash.latency")).contains("data-field=\"count\">4<", "data-field=\"p50\">20<",
				"data-field=\"p99\">40<", "<polyline");
		assertThat(row(dom, "dash.size")).contains("data-field=\"max\">2048<");
		assertThat(dom).contains("data-total=\"requestsAccepted\">1<");
	}

	private String dumpDom(Path profile) throws IOException, InterruptedException {
		Path out = profile.resolve("dom.html");
		Path err = profile.resolve("chromium.log");
		Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
				"--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
				"--user-data-dir=" + profile.resolve("profile"), "--virtual-time-budget=5000", "--dump-dom",
				"http://127.0.0.1:" + this.port + "/"))
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.start();
		try {
			boolean finished = chromium.waitFor(60, TimeUnit.SECONDS);
			assertThat(finished).as("chromium finished within 60 s").isTrue();
		}
		finally {
			chromium.destroyForcibly();
		}
		String dom = Files.readString(out, StandardCharsets.UTF_8);
		assertThat(dom).as("DOM dumped by chromium; its log: %s", Files.readString(err)).contains("</html>");
		return dom;
	}

	private static String row(String dom, String metric) {
		int start = dom.indexOf("data-metric=\"" + metric + "\"");
		assertThat(start).as("row of %s", metric).isNotNegative();
		int end = dom.indexOf("</tr>", start);
		return dom.substring(start, end);
	}

}
