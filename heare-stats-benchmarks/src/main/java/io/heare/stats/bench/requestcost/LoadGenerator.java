package io.heare.stats.bench.requestcost;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keep-alive HTTP/1.1 connections, one thread each, that send {@code GET /users/{id}} and
 * {@code POST /orders/{id}} in turn, each waiting for its response, as fast as the
 * application answers. Every response must be a 200 with a {@code Content-Length};
 * anything else stops the run with the reason.
 */
final class LoadGenerator implements AutoCloseable {

	private final int port;

	private final List<Thread> threads = new ArrayList<>();

	private final List<Socket> sockets = new ArrayList<>();

	private final AtomicLong completed = new AtomicLong();

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private volatile boolean running = true;

	LoadGenerator(int port, int connections) throws IOException {
		this.port = port;
		for (int i = 0; i < connections; i++) {
			Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
			socket.setTcpNoDelay(true);
			this.sockets.add(socket);
			int first = i;
			Thread thread = new Thread(() -> drive(socket, first), "load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	long completed() {
		Throwable error = this.failure.get();
		if (error != null) {
			throw new IllegalStateException("load generator failed: " + error, error);
		}
		return this.completed.get();
	}

	private void drive(Socket socket, int seed) {
		try {
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
			byte[] body = "{\"item\":42}".getBytes(StandardCharsets.US_ASCII);
			long n = seed;
			while (this.running) {
				long id = n % 1000;
				byte[] request = ((n & 1) == 0)
						? ("GET /users/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n")
							.getBytes(StandardCharsets.US_ASCII)
						: ("POST /orders/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
								+ "Content-Length: " + body.length + "\r\n\r\n")
							.getBytes(StandardCharsets.US_ASCII);
				out.write(request);
				if ((n & 1) != 0) {
					out.write(body);
				}
				out.flush();
				readResponse(in);
				this.completed.incrementAndGet();
				n++;
			}
		}
		catch (IOException | RuntimeException ex) {
			if (this.running) {
				this.failure.compareAndSet(null, ex);
			}
		}
	}

	// Status line and headers up to the empty line, then Content-Length bytes of body.
	private static void readResponse(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder(64);
		int status = -1;
		long length = -1;
		boolean close = false;
		while (true) {
			line.setLength(0);
			int c;
			while ((c = in.read()) != '\n') {
				if (c < 0) {
					throw new IOException("connection closed by the application");
				}
				if (c != '\r') {
					line.append((char) c);
				}
			}
			if (line.length() == 0) {
				break;
			}
			String header = line.toString();
			if (status < 0) {
				status = Integer.parseInt(header.substring(9, 12));
			}
			else if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
				length = Long.parseLong(header.substring(15).trim());
			}
			else if (header.regionMatches(true, 0, "connection: close", 0, 17)) {
				close = true;
			}
		}
		if (status != 200 || length < 0 || close) {
			throw new IOException("unexpected response: status " + status + ", content-length " + length
					+ (close ? ", connection: close" : ""));
		}
		for (long i = 0; i < length; i++) {
			if (in.read() < 0) {
				throw new IOException("body cut short");
			}
		}
	}

	@Override
	public void close() {
		this.running = false;
		for (Socket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}
		for (Thread thread : this.threads) {
			try {
				thread.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	int port() {
		return this.port;
	}

}
