package io.heare.stats.collector;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for the dashboard page, rendered by a real headless Chromium: the charts must be
 * drawn with the collector's data. The page, opened with {@code ?inspect}, writes on each
 * chart how many points uPlot holds ({@code data-points}) and how many pixels of the plot
 * area have a series' colour ({@code data-line-pixels}). Skipped when
 * {@code /usr/bin/chromium} is absent (CI installs Debian's {@code chromium}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "collector.statsd-port=0", "collector.history.interval=200ms" })
class DashboardChromiumTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Pattern CHART = Pattern.compile("<article class=\"chart\" data-metric=\"([^\"]*)\" "
			+ "data-kind=\"([^\"]*)\" data-points=\"(\\d+)\" data-line-pixels=\"(\\d+)\">");

	/** The request-rate line's colour in dashboard.js. */
	private static final int REQUEST_RATE_BLUE = 0x2563eb;

	@LocalServerPort
	int port;

	CollectorClient client;

	@BeforeEach
	void reset() {
		assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed");
		this.client = new CollectorClient(this.port);
		this.client.reset();
		// Several history intervals of traffic, so that every line has several points.
		for (int i = 1; i <= 6; i++) {
			int points = historyPoints();
			assertThat(this.client
				.postHttp("""
						{"counters": {"shop.http.server.requests.total": %d, "shop.http.server.requests.error": %d,
						 "<b>bold</b>": 1},
						 "gauges": {"dash.queue": %d}, "timers": {"dash.latency": [%d, 20, 30]}}""".formatted(10 * i,
						i % 3, i, 5 * i))
				.statusCode()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(10)).until(() -> historyPoints() > points);
		}
	}

	@Test
	void chartsAreDrawnWithTheCollectedData(@TempDir Path dir) throws Exception {
		List<Chart> charts = charts(chromium(dir, "--dump-dom", "/?inspect"));

		assertThat(charts).extracting(Chart::name)
			.containsExactly("request rate", "error rate", "response time", "&lt;b&gt;bold&lt;/b&gt;", "dash.latency",
					"dash.queue", "shop.http.server.requests.error", "shop.http.server.requests.total");
		for (String drawn : new String[] { "request rate", "error rate", "dash.latency", "dash.queue",
				"shop.http.server.requests.total" }) {
			Chart chart = chart(charts, drawn);
			assertThat(chart.points()).as("points of %s", drawn).isGreaterThanOrEqualTo(5);
			assertThat(chart.linePixels()).as("line pixels of %s", drawn).isGreaterThan(100);
		}
		// No application sent an HTTP response time: that chart has axes but no line.
		assertThat(chart(charts, "response time").points()).isZero();
		assertThat(chart(charts, "response time").linePixels()).isZero();
		assertThat(chart(charts, "dash.latency").kind()).isEqualTo("timer");
	}

	@Test
	void chartHeadersShowTheLatestValue(@TempDir Path dir) throws Exception {
		String dom = chromium(dir, "--dump-dom", "/?filter=dash.");
		assertThat(dom).contains("data-metric=\"dash.queue\" data-kind=\"gauge\"><div class=\"head\">"
				+ "<span class=\"title\" title=\"dash.queue\">dash.queue</span><span class=\"kind\">gauge</span>"
				+ "<span class=\"latest\">6</span>");
		assertThat(dom).contains("<span class=\"latest\">p95 30 ms</span>");
	}

	@Test
	void filterFromTheAddressShowsOnlyMatchingChartsBelowThePinnedOnes(@TempDir Path dir) throws Exception {
		String dom = chromium(dir, "--dump-dom", "/?inspect&filter=LATENCY");
		assertThat(charts(dom)).extracting(Chart::name)
			.containsExactly("request rate", "error rate", "response time", "dash.latency");
	}

	@Test
	void screenshotShowsTheRequestRateLine(@TempDir Path dir) throws Exception {
		chromium(dir, "--screenshot=" + dir.resolve("dashboard.png"), "/");
		BufferedImage image = ImageIO.read(dir.resolve("dashboard.png").toFile());
		assertThat(image.getWidth()).isEqualTo(1280);
		int blue = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				if ((image.getRGB(x, y) & 0xffffff) == REQUEST_RATE_BLUE) {
					blue++;
				}
			}
		}
		// The request-rate line and the counters' rate lines; the page has no other such
		// blue.
		assertThat(blue).isGreaterThan(300);
	}

	private int historyPoints() {
		return this.client.history("limit=0").get("times").size();
	}

	private String chromium(Path dir, String mode, String page) throws IOException, InterruptedException {
		Path out = dir.resolve("out.html");
		Path err = dir.resolve("chromium.log");
		String stalled = "";
		// Once in a while headless Chromium stalls on a busy machine; a second run
		// settles it.
		for (int attempt = 1; attempt <= 2; attempt++) {
			Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
					"--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
					"--window-size=1280,900", "--user-data-dir=" + dir.resolve("profile-" + attempt),
					"--virtual-time-budget=5000", mode, "http://127.0.0.1:" + this.port + page))
				.redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.start();
			try {
				if (chromium.waitFor(90, TimeUnit.SECONDS)) {
					String dom = Files.readString(out, StandardCharsets.UTF_8);
					if (mode.equals("--dump-dom")) {
						assertThat(dom).as("DOM dumped by chromium; its log: %s", Files.readString(err))
							.contains("</html>");
					}
					return dom;
				}
			}
			finally {
				chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			stalled += "\nattempt " + attempt + " did not finish within 90 s; its log:\n" + Files.readString(err);
		}
		throw new AssertionError("chromium did not finish" + stalled);
	}

	private static List<Chart> charts(String dom) {
		List<Chart> charts = new ArrayList<>();
		Matcher matcher = CHART.matcher(dom);
		while (matcher.find()) {
			charts.add(new Chart(matcher.group(1), matcher.group(2), Integer.parseInt(matcher.group(3)),
					Integer.parseInt(matcher.group(4))));
		}
		return charts;
	}

	private static Chart chart(List<Chart> charts, String name) {
		return charts.stream()
			.filter((chart) -> chart.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no chart " + name + " in " + charts));
	}

	record Chart(String name, String kind, int points, int linePixels) {
	}

}
