package io.heare.stats.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A heare HTTP endpoint on 127.0.0.1 (ephemeral port) that accepts every
 * {@code POST /http}, reads the body, answers 200 with no body, and counts requests and
 * body bytes. It does not parse the JSON: it is the far end of a throughput benchmark,
 * not a conformance test.
 */
public final class LoopbackHttpSink implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong bodyBytes = new AtomicLong();

	public LoopbackHttpSink() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		this.executor = Executors.newFixedThreadPool(2, (r) -> {
			Thread t = new Thread(r, "http-sink");
			t.setDaemon(true);
			return t;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			long n = 0;
			byte[] buffer = new byte[8192];
			try (InputStream in = exchange.getRequestBody()) {
				for (int r; (r = in.read(buffer)) >= 0;) {
					n += r;
				}
			}
			this.requests.incrementAndGet();
			this.bodyBytes.addAndGet(n);
			exchange.sendResponseHeaders(200, -1);
		}
	}

	public String host() {
		return "127.0.0.1";
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public long requests() {
		return this.requests.get();
	}

	public long bodyBytes() {
		return this.bodyBytes.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
