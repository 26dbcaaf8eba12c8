package io.heare.stats.collector;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/1.1 over a plain socket, so that a request target reaches the collector byte for
 * byte as written (an HTTP client library may normalise {@code %68} or {@code /./}).
 */
final class RawHttp {

	/** The Basic credentials of the collector's default secret. */
	static final String AUTHORIZATION = "Authorization: " + CollectorClient.basic("dev-secret", "");

	private final int port;

	RawHttp(int port) {
		this.port = port;
	}

	/**
	 * Sends one request with {@code Connection: close} and returns the status code.
	 * @param method the method
	 * @param target the request target, sent as is
	 * @param body the body, sent with Content-Length (none when {@code null})
	 * @param headers extra header lines
	 */
	int send(String method, String target, String body, String... headers) {
		List<String> lines = new ArrayList<>();
		lines.add(method + " " + target + " HTTP/1.1");
		lines.add("Host: 127.0.0.1:" + this.port);
		lines.addAll(List.of(headers));
		byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		if (body != null) {
			lines.add("Content-Length: " + content.length);
		}
		lines.add("Connection: close");
		byte[] head = (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		return exchange(head, content);
	}

	/**
	 * Sends a WebSocket handshake for {@code target}; if the server upgrades, sends one
	 * masked text frame with {@code frame} and then a close frame, and waits for the
	 * server's close, by which time the server has handled the text frame.
	 * @return the status code of the handshake response
	 */
	int upgrade(String target, String frame, String... headers) {
		List<String> lines = new ArrayList<>();
		lines.add("GET " + target + " HTTP/1.1");
		lines.add("Host: 127.0.0.1:" + this.port);
		lines.add("Upgrade: websocket");
		lines.add("Connection: Upgrade");
		lines.add("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
		lines.add("Sec-WebSocket-Version: 13");
		lines.addAll(List.of(headers));
		byte[] head = (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(head);
			out.flush();
			int status = status(readLine(in));
			if (status == 101) {
				while (!readLine(in).isEmpty()) {
					// response headers
				}
				out.write(maskedFrame(0x1, frame.getBytes(StandardCharsets.UTF_8)));
				out.write(maskedFrame(0x8, new byte[] { 0x03, (byte) 0xE8 }));
				out.flush();
				while (in.read() != -1) {
					// the server's close frame, then the end of the connection
				}
			}
			return status;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends {@code GET} requests for {@code targets} on one kept-alive connection, the
	 * first {@code together} of them in one write, the rest each once the previous
	 * response has been read, and returns the status codes in order.
	 */
	List<Integer> keptAlive(int together, String... targets) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			StringBuilder first = new StringBuilder();
			for (int i = 0; i < together; i++) {
				first.append(get(targets[i]));
			}
			out.write(first.toString().getBytes(StandardCharsets.US_ASCII));
			out.flush();
			List<Integer> statuses = new ArrayList<>();
			for (int i = 0; i < together; i++) {
				statuses.add(readResponse(in));
			}
			for (int i = together; i < targets.length; i++) {
				out.write(get(targets[i]).getBytes(StandardCharsets.US_ASCII));
				out.flush();
				statuses.add(readResponse(in));
			}
			return statuses;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String get(String target) {
		return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\n\r\n";
	}

	// One response with a Content-Length body (or none); its status code.
	private static int readResponse(InputStream in) throws IOException {
		int status = status(readLine(in));
		int length = 0;
		for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
			if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		if (in.readNBytes(length).length != length) {
			throw new IOException("Connection closed in a response body");
		}
		return status;
	}

	private int exchange(byte[] head, byte[] rest) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(head);
			out.write(rest);
			out.flush();
			return status(readLine(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int status(String statusLine) {
		if (!statusLine.startsWith("HTTP/1.1 ")) {
			throw new IllegalStateException("Not an HTTP response: '" + statusLine + "'");
		}
		return Integer.parseInt(statusLine.substring(9, 12));
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			line.write(b);
		}
		return line.toString(StandardCharsets.US_ASCII).trim();
	}

	private static byte[] maskedFrame(int opcode, byte[] payload) {
		if (payload.length > 125) {
			throw new IllegalArgumentException("frame too long for this helper");
		}
		byte[] mask = { 0x11, 0x22, 0x33, 0x44 };
		byte[] frame = new byte[6 + payload.length];
		frame[0] = (byte) (0x80 | opcode);
		frame[1] = (byte) (0x80 | payload.length);
		System.arraycopy(mask, 0, frame, 2, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
		}
		return frame;
	}

}
