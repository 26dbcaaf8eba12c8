package io.heare.stats.collector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts StatsD TCP connections; each connection carries many {@code \n}-terminated
 * lines and is served by its own thread, which suits the few long-lived connections that
 * StatsD clients open. Connections beyond a maximum are closed as soon as they are
 * accepted (and counted), so that neither threads nor buffers grow without bound, and a
 * connection that stays silent for the idle timeout is closed, so that idle clients
 * cannot hold every place.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class StatsdTcpServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StatsdTcpServer.class);

	/**
	 * Longest accepted line; StatsD lines are short, so a longer one is a broken client.
	 */
	static final int MAX_LINE = 64 * 1024;

	private final ServerSocket serverSocket;

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final ExecutorService workers;

	private final Semaphore permits;

	private final int idleTimeoutMillis;

	private final Thread acceptor;

	/**
	 * Binds the server socket and starts accepting.
	 * @param address where to bind; port 0 picks a free port
	 * @param ingester where the lines go
	 * @param maxConnections how many connections are served at once
	 * @param idleTimeoutMillis how long a connection may stay silent before it is closed
	 * @throws IOException if the socket cannot be bound
	 */
	public StatsdTcpServer(InetSocketAddress address, StatsdIngester ingester, int maxConnections,
			int idleTimeoutMillis) throws IOException {
		this.idleTimeoutMillis = idleTimeoutMillis;
		this.serverSocket = new ServerSocket();
		this.serverSocket.setReuseAddress(true);
		this.serverSocket.bind(address, 128);
		this.permits = new Semaphore(maxConnections);
		AtomicInteger ids = new AtomicInteger();
		// At most maxConnections tasks are ever submitted at once (the semaphore), so the
		// queue only bridges the moment between one connection's end and its thread's
		// return.
		ThreadPoolExecutor executor = new ThreadPoolExecutor(maxConnections, maxConnections, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "statsd-tcp-" + port() + "-" + ids.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		this.workers = executor;
		this.acceptor = new Thread(() -> accept(ingester), "statsd-tcp-" + port() + "-accept");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/**
	 * Returns the bound port.
	 * @return the port
	 */
	public int port() {
		return this.serverSocket.getLocalPort();
	}

	private void accept(StatsdIngester ingester) {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				if (!this.permits.tryAcquire()) {
					socket.close();
					ingester.refuseConnection();
					continue;
				}
				this.connections.add(socket);
				this.workers.execute(() -> serve(socket, ingester));
			}
			catch (IOException ex) {
				if (!this.serverSocket.isClosed()) {
					logger.warn("StatsD TCP accept failed", ex);
				}
			}
		}
	}

	private void serve(Socket socket, StatsdIngester ingester) {
		try (socket; InputStream in = socket.getInputStream()) {
			socket.setSoTimeout(this.idleTimeoutMillis);
			LineSplitter lines = new LineSplitter(ingester);
			byte[] chunk = new byte[16 * 1024];
			int read;
			while ((read = in.read(chunk)) != -1) {
				lines.accept(chunk, read);
			}
			lines.finish();
		}
		catch (SocketTimeoutException ex) {
			logger.debug("StatsD TCP connection closed after {} ms without data", this.idleTimeoutMillis);
		}
		catch (IOException ex) {
			logger.debug("StatsD TCP connection ended: {}", ex.toString());
		}
		finally {
			this.connections.remove(socket);
			this.permits.release();
		}
	}

	/**
	 * Splits a byte stream at {@code \n}. Splitting bytes before decoding is safe because
	 * {@code \n} never occurs inside a multi-byte UTF-8 sequence, and it lets a line be
	 * capped so that a client that never sends a newline cannot exhaust memory.
	 */
	static final class LineSplitter {

		private final StatsdIngester ingester;

		private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

		private boolean overlong;

		LineSplitter(StatsdIngester ingester) {
			this.ingester = ingester;
		}

		void accept(byte[] bytes, int length) {
			int start = 0;
			for (int i = 0; i < length; i++) {
				if (bytes[i] == '\n') {
					append(bytes, start, i - start);
					emit();
					start = i + 1;
				}
			}
			append(bytes, start, length - start);
		}

		/** Emits a last line that the client did not terminate before closing. */
		void finish() {
			if (this.line.size() > 0 || this.overlong) {
				emit();
			}
		}

		private void append(byte[] bytes, int offset, int length) {
			if (this.line.size() + length > MAX_LINE) {
				this.overlong = true;
				return;
			}
			this.line.write(bytes, offset, length);
		}

		private void emit() {
			if (this.overlong) {
				this.ingester.rejectLine("longer than " + MAX_LINE + " bytes");
			}
			else {
				this.ingester.acceptLine(this.line.toString(StandardCharsets.UTF_8));
			}
			this.line.reset();
			this.overlong = false;
		}

	}

	@Override
	public void close() throws IOException, InterruptedException {
		this.serverSocket.close();
		this.acceptor.join(5_000);
		for (Socket socket : this.connections) {
			socket.close();
		}
		this.workers.shutdown();
		this.workers.awaitTermination(5, TimeUnit.SECONDS);
	}

}
