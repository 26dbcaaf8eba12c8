package com.example.shop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the packaged application as its own process, the way it runs in production, with
 * {@code application.yml} as the README shows it and only the destination pointed at a
 * receiver on loopback; serves requests, stops it with SIGTERM and checks what the receiver
 * was sent.
 */
class ShopApplicationIT {

	private static final String SECRET = "consumer-secret";

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final ObjectMapper json = new ObjectMapper();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpServer receiver;

	private Process application;

	@BeforeEach
	void startReceiver() throws IOException {
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.receiver.createContext("/", this::receive);
		this.receiver.start();
	}

	@AfterEach
	void stop() {
		if (this.application != null && this.application.isAlive()) {
			this.application.destroyForcibly();
		}
		this.receiver.stop(0);
	}

	@Test
	void readmeSnippetsAreWhatThisApplicationUses() throws IOException {
		String readme = Files.readString(Path.of(System.getProperty("heare.readme")));
		String pom = Files.readString(Path.of(System.getProperty("shop.pom")));
		String dependencies = between(pom, "<!-- README:dependencies -->", "<!-- /README:dependencies -->");
		assertThat(normalized(readme)).as("README's dependency block").contains(normalized(dependencies));
		String yml = Files.readString(Path.of(System.getProperty("shop.yml")));
		assertThat(readme).as("README's application.yml").contains("```yaml\n" + yml + "```");
		String controller = Files.readString(Path.of(System.getProperty("shop.controller")));
		assertThat(readme).as("README's controller")
			.contains("```java\n" + controller.substring(controller.indexOf("import ")) + "```");
	}

	@Test
	void metricsArriveWhileRunningAndTheLastOnesAtSigterm() throws Exception {
		int port = start();
		assertThat(get(port, "/orders/1").statusCode()).isEqualTo(200);
		assertThat(get(port, "/orders/2").statusCode()).isEqualTo(200);
		assertThat(post(port, "/orders", "{\"id\":3,\"items\":[\"a\",\"b\",\"c\"]}").statusCode()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(counter("myapp.http.server.requests.total")).isEqualTo(3);
			assertThat(counter("myapp.http.server.requests.method.GET")).isEqualTo(2);
			assertThat(counter("myapp.http.server.requests.status.200")).isEqualTo(3);
			assertThat(values("timers", "myapp.http.server.route.GET.orders_id.time")).hasSize(2);
			assertThat(values("timers", "myapp.orders.get")).hasSize(2);
			assertThat(counter("myapp.orders.get.success")).isEqualTo(2);
			assertThat(counter("myapp.orders.created")).isEqualTo(1);
			assertThat(values("histograms", "myapp.orders.items")).containsExactly(3.0);
		});
		assertThat(this.received).allSatisfy((request) -> {
			assertThat(request.path()).isEqualTo("/http");
			assertThat(request.authorization())
				.isEqualTo("Basic " + Base64.getEncoder().encodeToString((SECRET + ":").getBytes(StandardCharsets.UTF_8)));
		});

		// Recorded while the sender lingers after its last send, so only the close can deliver it.
		assertThat(post(port, "/orders/3/cancel", "").statusCode()).isEqualTo(200);
		long sigterm = System.nanoTime();
		this.application.destroy();
		assertThat(this.application.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
		assertThat(counter("myapp.orders.cancelled")).as("recorded just before SIGTERM").isEqualTo(1);
		assertThat(this.received.stream().filter((r) -> r.body().path("counters").has("myapp.orders.cancelled")))
			.singleElement()
			.satisfies((r) -> assertThat(r.nanos()).as("sent after SIGTERM").isGreaterThan(sigterm));
		assertThat(counter("myapp.http.server.requests.total")).isEqualTo(4);
		assertThat(String.join("\n", this.output)).doesNotContain(SECRET).doesNotContain(" ERROR ");
	}

	private int start() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-jar", System.getProperty("shop.jar"), "--server.port=0",
				"--server.address=127.0.0.1", "--heare.stats.dest-host=127.0.0.1",
				"--heare.stats.dest-port=" + this.receiver.getAddress().getPort(), "--heare.stats.linger=3s");
		builder.environment().put("METRICS_SECRET", SECRET);
		builder.redirectErrorStream(true);
		this.application = builder.start();
		BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.application.getInputStream(), StandardCharsets.UTF_8));
		Thread pump = new Thread(() -> lines.lines().forEach((line) -> {
			this.output.add(line);
			System.out.println("[shop] " + line);
		}));
		pump.setDaemon(true);
		pump.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> port() != null || !this.application.isAlive());
		assertThat(port()).as("started:\n%s", String.join("\n", this.output)).isNotNull();
		return port();
	}

	private Integer port() {
		for (String line : this.output) {
			Matcher matcher = PORT.matcher(line);
			if (matcher.find()) {
				return Integer.valueOf(matcher.group(1));
			}
		}
		return null;
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(int port, String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private void receive(HttpExchange exchange) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		this.received.add(new Received(System.nanoTime(), exchange.getRequestURI().getPath(),
				exchange.getRequestHeaders().getFirst("Authorization"), this.json.readTree(body)));
		exchange.sendResponseHeaders(200, -1);
		exchange.close();
	}

	private double counter(String name) {
		return this.received.stream().mapToDouble((r) -> r.body().path("counters").path(name).asDouble(0)).sum();
	}

	private List<Double> values(String kind, String name) {
		List<Double> values = new ArrayList<>();
		for (Received request : this.received) {
			request.body().path(kind).path(name).forEach((value) -> values.add(value.asDouble()));
		}
		return values;
	}

	private static String between(String text, String start, String end) {
		int from = text.indexOf(start);
		int to = text.indexOf(end);
		assertThat(from).as("%s in the consumer's pom", start).isNotNegative();
		return text.substring(from + start.length(), to);
	}

	private static String normalized(String xml) {
		return xml.replaceAll("\\s+", " ").trim();
	}

	record Received(long nanos, String path, String authorization, JsonNode body) {
	}

}
