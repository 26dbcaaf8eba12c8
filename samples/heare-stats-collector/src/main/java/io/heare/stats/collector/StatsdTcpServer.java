package io.heare.stats.collector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts StatsD TCP connections; each connection carries many {@code \n}-terminated
 * lines and is served by its own thread, which suits the few long-lived connections
 * that StatsD clients open.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class StatsdTcpServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StatsdTcpServer.class);

	private final ServerSocket serverSocket;

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final ExecutorService workers;

	private final Thread acceptor;

	/**
	 * Binds the server socket and starts accepting.
	 * @param address where to bind; port 0 picks a free port
	 * @param ingester where the lines go
	 * @throws IOException if the socket cannot be bound
	 */
	public StatsdTcpServer(InetSocketAddress address, StatsdIngester ingester) throws IOException {
		this.serverSocket = new ServerSocket();
		this.serverSocket.setReuseAddress(true);
		this.serverSocket.bind(address, 128);
		AtomicInteger ids = new AtomicInteger();
		this.workers = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "statsd-tcp-" + port() + "-" + ids.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
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
		try (socket; BufferedReader reader = new BufferedReader(
				new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				ingester.acceptLine(line);
			}
		}
		catch (IOException ex) {
			logger.debug("StatsD TCP connection ended: {}", ex.toString());
		}
		finally {
			this.connections.remove(socket);
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
