package io.heare.stats.client.soak;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A heare metrics service on a loopback socket that misbehaves on demand: it answers 200,
 * 500, 429 or 401, hangs past the client's timeout, drops the connection after reading a
 * request, or refuses connections altogether. It counts the requests of every phase, and,
 * from the batches it accepts (answers 200), the counter sums, timer values and gauge
 * entries it was given. Plain sockets and HTTP/1.1 with keep-alive, so that every failure
 * is exactly the one asked for.
 */
public final class FaultInjectingService implements AutoCloseable {

	/** How the service answers while in a phase. */
	public enum Phase {

		/** 200: the batch is accepted and counted. */
		OK,

		/** 500: a failure worth retrying. */
		SERVER_ERROR,

		/** 429: too many requests, worth retrying. */
		TOO_MANY_REQUESTS,

		/** 401: the secret is rejected. */
		UNAUTHORIZED,

		/** The request is read and never answered; the connection stays open. */
		HANG,

		/** The request is read and the connection closed without an answer. */
		DROP,

		/** Nothing listens on the port: connections are refused. */
		REFUSED

	}

	private final JsonFactory json = JsonFactory.builder().build();

	private final Map<Phase, AtomicLong> requests = new EnumMap<>(Phase.class);

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final AtomicLong counterSum = new AtomicLong();

	private final AtomicLong timerValues = new AtomicLong();

	private final AtomicLong gaugeEntries = new AtomicLong();

	private final int port;

	private volatile Phase phase = Phase.OK;

	private volatile ServerSocket serverSocket;

	private volatile boolean closed;

	// Held while a request is answered, so that closing connections for the refused phase
	// never cuts a 200 after its batch was counted (the client would send it again).
	private final ReentrantReadWriteLock answering = new ReentrantReadWriteLock();

	public FaultInjectingService() throws IOException {
		for (Phase each : Phase.values()) {
			this.requests.put(each, new AtomicLong());
		}
		this.serverSocket = open(0);
		this.port = this.serverSocket.getLocalPort();
	}

	public int port() {
		return this.port;
	}

	/**
	 * Switches to {@code next}; entering or leaving {@link Phase#REFUSED} closes or
	 * reopens the port.
	 */
	public synchronized void phase(Phase next) throws IOException {
		if (next == Phase.REFUSED && this.serverSocket != null) {
			this.serverSocket.close();
			this.serverSocket = null;
			// Pooled keep-alive connections would otherwise carry on as if nothing
			// happened.
			this.answering.writeLock().lock();
			try {
				this.phase = next;
				closeConnections();
			}
			finally {
				this.answering.writeLock().unlock();
			}
		}
		else if (next != Phase.REFUSED && this.serverSocket == null) {
			this.serverSocket = open(this.port);
		}
		this.phase = next;
	}

	public long requests(Phase phase) {
		return this.requests.get(phase).get();
	}

	/** Sum of every counter value in accepted batches (each increment of one is one). */
	public long counterSum() {
		return this.counterSum.get();
	}

	/** Timer and histogram values in accepted batches. */
	public long timerValues() {
		return this.timerValues.get();
	}

	/**
	 * Gauge entries in accepted batches (a gauge set many times between sends is one
	 * entry).
	 */
	public long gaugeEntries() {
		return this.gaugeEntries.get();
	}

	private ServerSocket open(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
		Thread acceptor = new Thread(() -> accept(socket), "fault-service-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		return socket;
	}

	private void accept(ServerSocket socket) {
		while (!socket.isClosed()) {
			try {
				Socket connection = socket.accept();
				this.connections.add(connection);
				Thread handler = new Thread(() -> serve(connection), "fault-service-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				// Closed for the refused phase or at the end.
			}
		}
	}

	private void serve(Socket connection) {
		try (connection) {
			InputStream in = new BufferedInputStream(connection.getInputStream());
			OutputStream out = connection.getOutputStream();
			while (!this.closed) {
				byte[] body = readRequest(in);
				if (body == null) {
					return;
				}
				Phase current;
				this.answering.readLock().lock();
				try {
					current = this.phase;
					if (connection.isClosed()) {
						return;
					}
					this.requests.get(current).incrementAndGet();
					switch (current) {
						case OK -> {
							count(body);
							respond(out, 200, "OK");
						}
						case SERVER_ERROR -> respond(out, 500, "Internal Server Error");
						case TOO_MANY_REQUESTS -> respond(out, 429, "Too Many Requests");
						case UNAUTHORIZED -> respond(out, 401, "Unauthorized");
						default -> {
						}
					}
				}
				finally {
					this.answering.readLock().unlock();
				}
				if (current == Phase.HANG) {
					// Past any sensible client timeout: the client gives up and closes.
					while (!this.closed && in.read() >= 0) {
						TimeUnit.MILLISECONDS.sleep(1);
					}
					return;
				}
				if (current == Phase.DROP || current == Phase.REFUSED) {
					// REFUSED: a request that raced the closing of the port.
					return;
				}
			}
		}
		catch (IOException ex) {
			// The client went away.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.connections.remove(connection);
		}
	}

	// The body of the next request, or null at the end of the stream.
	private static byte[] readRequest(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0) {
			head.append((char) b);
			if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
				break;
			}
		}
		if (b < 0) {
			return null;
		}
		int length = 0;
		for (String line : head.toString().split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		return in.readNBytes(length);
	}

	private static void respond(OutputStream out, int status, String reason) throws IOException {
		out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Length: 0\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	private void count(byte[] body) {
		try (JsonParser parser = this.json.createParser(ObjectReadContext.empty(), body)) {
			String member = null;
			int depth = 0;
			for (JsonToken token; (token = parser.nextToken()) != null;) {
				switch (token) {
					case START_OBJECT, START_ARRAY -> depth++;
					case END_OBJECT, END_ARRAY -> depth--;
					case PROPERTY_NAME -> {
						if (depth == 1) {
							member = parser.currentName();
						}
						else if (depth == 2 && "gauges".equals(member)) {
							this.gaugeEntries.incrementAndGet();
						}
					}
					case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
						if ("counters".equals(member)) {
							this.counterSum.addAndGet(Math.round(parser.getDoubleValue()));
						}
						else if ("timers".equals(member) || "histograms".equals(member)) {
							this.timerValues.incrementAndGet();
						}
					}
					default -> {
					}
				}
			}
		}
	}

	private void closeConnections() {
		for (Socket connection : this.connections) {
			try {
				connection.close();
			}
			catch (IOException ex) {
				// Already gone.
			}
		}
	}

	@Override
	public synchronized void close() throws IOException {
		this.closed = true;
		if (this.serverSocket != null) {
			this.serverSocket.close();
		}
		closeConnections();
	}

}
