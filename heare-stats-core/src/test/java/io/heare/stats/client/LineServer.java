package io.heare.stats.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP server that reads newline-terminated lines from every connection into
 * one shared queue, so that lines received across a restart can be counted together.
 */
final class LineServer implements AutoCloseable {

	private final ServerSocket serverSocket;

	private final ConcurrentLinkedQueue<String> lines;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private final List<Thread> readers = new CopyOnWriteArrayList<>();

	LineServer(int port, ConcurrentLinkedQueue<String> lines) throws IOException {
		this.lines = lines;
		this.serverSocket = new ServerSocket();
		this.serverSocket.setReuseAddress(true);
		this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		Thread acceptor = new Thread(this::accept, "line-server-" + port);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	int connections() {
		return this.accepted.size();
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				this.accepted.add(socket);
				Thread reader = new Thread(() -> read(socket), "line-server-reader");
				reader.setDaemon(true);
				this.readers.add(reader);
				reader.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void read(Socket socket) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// Closed by stop().
		}
	}

	/**
	 * Stops listening and closes every accepted connection, as a crashing server would,
	 * and returns once the connections are really gone: the JDK defers closing a socket
	 * that another thread is reading until that thread lets go of it.
	 */
	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
		for (Thread reader : this.readers) {
			try {
				reader.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
