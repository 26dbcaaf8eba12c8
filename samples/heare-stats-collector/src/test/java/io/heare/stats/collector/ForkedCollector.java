package io.heare.stats.collector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector in a JVM of its own, started from the test class path with the given JVM
 * options, so that a test can give it a small heap. It exits at the first
 * {@link OutOfMemoryError}, so a test that floods it sees a dead process rather than a
 * half-working one.
 */
final class ForkedCollector implements AutoCloseable {

	private static final Pattern HTTP_PORT = Pattern.compile("Netty started on port (\\d+)");

	private static final Pattern STATSD_PORTS = Pattern.compile("UDP port (\\d+), TCP port (\\d+)");

	private final Process process;

	private final List<String> output = Collections.synchronizedList(new ArrayList<>());

	private final int httpPort;

	private final int udpPort;

	private final int tcpPort;

	ForkedCollector(List<String> jvmOptions, String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-XX:+ExitOnOutOfMemoryError");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(HeareStatsCollectorApplication.class.getName());
		command.addAll(List.of("--server.port=0", "--collector.statsd-port=0"));
		command.addAll(List.of(args));
		this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<int[]> ports = new CompletableFuture<>();
		Thread reader = new Thread(() -> read(ports), "forked-collector-output");
		reader.setDaemon(true);
		reader.start();
		int[] found;
		try {
			found = ports.get(90, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			close();
			throw new IllegalStateException("The collector did not start; its output:\n" + output(), ex);
		}
		this.httpPort = found[0];
		this.udpPort = found[1];
		this.tcpPort = found[2];
	}

	private void read(CompletableFuture<int[]> ports) {
		int[] found = { -1, -1, -1 };
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				this.output.add(line);
				Matcher statsd = STATSD_PORTS.matcher(line);
				if (statsd.find()) {
					found[1] = Integer.parseInt(statsd.group(1));
					found[2] = Integer.parseInt(statsd.group(2));
				}
				Matcher http = HTTP_PORT.matcher(line);
				if (http.find()) {
					found[0] = Integer.parseInt(http.group(1));
				}
				if (found[0] > 0 && found[1] > 0) {
					ports.complete(found);
				}
			}
		}
		catch (IOException ex) {
			// The process ended.
		}
		ports.completeExceptionally(new IllegalStateException("output ended before the ports were logged"));
	}

	int httpPort() {
		return this.httpPort;
	}

	int udpPort() {
		return this.udpPort;
	}

	int tcpPort() {
		return this.tcpPort;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	String output() {
		synchronized (this.output) {
			return String.join("\n", this.output);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
