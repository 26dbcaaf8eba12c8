package io.heare.stats.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback WebSocket server on a plain socket, for what MockWebServer cannot do: stop
 * reading, or reset the connection in the middle of a frame. It answers every opening
 * handshake and then hands the connection to the next {@link Handler} queued, one per
 * connection. Its receive buffer is small, so that a service that stops reading holds
 * back a large frame at once. What a handshake or a handler throws before the server is
 * closed fails the close: a handler catches the ends of a connection it expects.
 */
final class RawWebSocketServer implements AutoCloseable {

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final ServerSocket serverSocket;

	private final Queue<Handler> handlers = new ConcurrentLinkedQueue<>();

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private final List<Exception> failures = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	RawWebSocketServer() throws IOException {
		this.serverSocket = new ServerSocket();
		this.serverSocket.setReceiveBufferSize(16 * 1024);
		this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread acceptor = new Thread(this::accept, "raw-websocket-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	/** Connections accepted so far. */
	int connections() {
		return this.accepted.size();
	}

	/** Handles the next connection after its handshake. */
	RawWebSocketServer then(Handler handler) {
		this.handlers.add(handler);
		return this;
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				this.accepted.add(socket);
				Handler handler = this.handlers.poll();
				Thread thread = new Thread(() -> serve(socket, handler), "raw-websocket-connection");
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket, Handler handler) {
		try (socket) {
			InputStream in = socket.getInputStream();
			answerHandshake(in, socket.getOutputStream());
			if (handler != null) {
				handler.handle(socket, new DataInputStream(in));
			}
		}
		catch (Exception ex) {
			if (!this.closed) {
				this.failures.add(ex);
			}
			// Else the close ended the connection.
		}
	}

	private static void answerHandshake(InputStream in, OutputStream out) throws IOException {
		String key = null;
		for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
			if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
				key = line.substring(18).trim();
			}
		}
		String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
		out.write(response.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	private static String accept(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				throw new EOFException("handshake cut short");
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	/**
	 * Reads one message from the client, joining continuation frames: its opcode (1 text,
	 * 8 close) and its unmasked payload.
	 */
	static Message readMessage(DataInputStream in) throws IOException {
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		int opcode = -1;
		boolean fin;
		do {
			int first = in.readUnsignedByte();
			int second = in.readUnsignedByte();
			fin = (first & 0x80) != 0;
			if (opcode < 0) {
				opcode = first & 0x0f;
			}
			long length = second & 0x7f;
			if (length == 126) {
				length = in.readUnsignedShort();
			}
			else if (length == 127) {
				length = in.readLong();
			}
			byte[] mask = new byte[4];
			if ((second & 0x80) != 0) {
				in.readFully(mask);
			}
			byte[] data = new byte[Math.toIntExact(length)];
			in.readFully(data);
			for (int i = 0; i < data.length; i++) {
				data[i] ^= mask[i % 4];
			}
			payload.writeBytes(data);
		}
		while (!fin);
		return new Message(opcode, payload.toByteArray());
	}

	/** Reads and discards until the client ends the connection. */
	static void drain(InputStream in) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		while (in.read(buffer) >= 0) {
			// Discarded.
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.serverSocket.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
		if (!this.failures.isEmpty()) {
			AssertionError error = new AssertionError("the service side failed: " + this.failures);
			this.failures.forEach(error::addSuppressed);
			throw error;
		}
	}

	/** What the server does with one connection once the handshake is answered. */
	@FunctionalInterface
	interface Handler {

		void handle(Socket socket, DataInputStream in) throws Exception;

	}

	record Message(int opcode, byte[] payload) {

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

}
