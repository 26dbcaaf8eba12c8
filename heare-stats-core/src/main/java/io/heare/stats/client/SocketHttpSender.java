package io.heare.stats.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link HttpSender} for plain {@code http}: an HTTP/1.1 {@code POST} with a
 * {@code Content-Length} on one kept-alive connection, written and read on the calling
 * thread (the client's sender thread, which waits for the outcome anyway). It is what the
 * client uses for {@code http} when no sender is configured: a post costs a tenth of the
 * CPU time of the JDK's {@code HttpClient}, which hands each exchange between three
 * threads. {@code https} stays with {@link JdkHttpSender}.
 * <p>
 * Every step (connecting, writing, each read of the response) is bounded by the post's
 * timeout and ends early when the calling thread is interrupted, or when the sender is
 * closed. A response body with a {@code Content-Length} or in chunks is read to its end,
 * so that the connection can carry the next post; one that ends only where the connection
 * does is not read, and a service that answers so, or with {@code Connection: close},
 * gets a new connection for the next post. A connection that ends before any byte of a
 * response (most often a kept-alive one that the service, or a proxy, closed while it was
 * idle) has carried no answer, so the post is sent again at once, once, on a new
 * connection, as the JDK's client does.
 */
final class SocketHttpSender implements HttpSender {

	private static final int MAX_HEAD_BYTES = 64 * 1024;

	static final String USER_AGENT = "heare-stats-java";

	private static final Duration MAX_WAIT = Duration.ofDays(365 * 100);

	private final long connectTimeoutNanos;

	private ByteBuffer in = ByteBuffer.allocate(4096);

	// Written by the posting thread, read by close() from any thread.
	private volatile SocketChannel channel;

	private volatile Selector selector;

	private volatile boolean closed;

	private String connectedAuthority;

	/**
	 * @param connectTimeout how long to wait for a connection
	 */
	SocketHttpSender(Duration connectTimeout) {
		this.connectTimeoutNanos = nanos(connectTimeout);
	}

	@Override
	public CompletableFuture<Integer> post(URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
		return post(uri, headers, ByteBuffer.wrap(body), timeout);
	}

	/**
	 * Posts the bytes between {@code body}'s position and its limit, which are not read
	 * once this returns (the future it returns is complete), and leaves the buffer's
	 * position where it was.
	 */
	synchronized CompletableFuture<Integer> post(URI uri, Map<String, String> headers, ByteBuffer body,
			Duration timeout) {
		long deadline = System.nanoTime() + nanos(timeout);
		try {
			// A closed sender fails in connect(), before any connection is made.
			if (Thread.currentThread().isInterrupted()) {
				throw new InterruptedException("interrupted before posting");
			}
			return CompletableFuture.completedFuture(postAgainIfClosedBeforeResponse(uri, headers, body, deadline));
		}
		catch (IOException | RuntimeException ex) {
			closeConnection();
			return CompletableFuture.failedFuture(ex);
		}
		catch (InterruptedException ex) {
			// Thrown where the thread's interrupt status is seen, which nothing here
			// clears: the caller still sees it.
			closeConnection();
			return CompletableFuture.failedFuture(ex);
		}
	}

	private int postAgainIfClosedBeforeResponse(URI uri, Map<String, String> headers, ByteBuffer body, long deadline)
			throws IOException, InterruptedException {
		String authority = uri.getRawAuthority();
		if (this.channel != null && (!authority.equals(this.connectedAuthority) || !connectionOpen())) {
			closeConnection();
		}
		if (this.channel == null) {
			connect(uri, deadline);
		}
		ByteBuffer request = request(uri, headers, body.remaining());
		try {
			return exchange(request, body, deadline);
		}
		catch (ClosedBeforeResponseException ex) {
			closeConnection();
			connect(uri, deadline);
			return exchange(request.rewind(), body, deadline);
		}
	}

	private int exchange(ByteBuffer request, ByteBuffer body, long deadline) throws IOException, InterruptedException {
		try {
			write(request, body.duplicate(), deadline);
		}
		catch (SocketTimeoutException ex) {
			throw ex;
		}
		catch (IOException ex) {
			// The service may have answered before it closed the connection (a 413 for a
			// body it will not read): that answer counts; without one, no byte of a
			// response arrived.
		}
		return readResponse(deadline);
	}

	private static ByteBuffer request(URI uri, Map<String, String> headers, int length) {
		StringBuilder head = new StringBuilder(256).append("POST ")
			.append((uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath());
		if (uri.getRawQuery() != null) {
			head.append('?').append(uri.getRawQuery());
		}
		head.append(" HTTP/1.1\r\nHost: ")
			.append(uri.getRawAuthority())
			.append("\r\nUser-Agent: ")
			.append(USER_AGENT)
			.append("\r\n");
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		head.append("Content-Length: ").append(length).append("\r\n\r\n");
		return ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
	}

	// A service never writes between two exchanges: end-of-stream, an error or unexpected
	// bytes here mean the connection cannot carry another request.
	private boolean connectionOpen() {
		try {
			this.in.clear();
			return this.channel.read(this.in) == 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void connect(URI uri, long deadline) throws IOException, InterruptedException {
		if (this.closed) {
			throw new IOException("the sender is closed");
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : 80;
		// A name that does not resolve fails the connect with UnresolvedAddressException.
		InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
		SocketChannel opened = SocketChannel.open();
		Selector openedSelector = null;
		try {
			opened.configureBlocking(false);
			opened.socket().setTcpNoDelay(true);
			openedSelector = Selector.open();
			SelectionKey key = opened.register(openedSelector, SelectionKey.OP_CONNECT);
			long connectDeadline = Math.min(deadline, System.nanoTime() + this.connectTimeoutNanos);
			if (!opened.connect(address)) {
				while (!opened.finishConnect()) {
					long remaining = connectDeadline - System.nanoTime();
					if (remaining <= 0) {
						throw new HttpConnectTimeoutException("connect timed out");
					}
					openedSelector.select(Math.max(1, remaining / 1_000_000));
					openedSelector.selectedKeys().remove(key);
					if (Thread.currentThread().isInterrupted()) {
						throw new InterruptedException("interrupted while connecting");
					}
				}
			}
		}
		catch (IOException | RuntimeException | InterruptedException ex) {
			opened.close();
			if (openedSelector != null) {
				openedSelector.close();
			}
			throw ex;
		}
		this.channel = opened;
		this.selector = openedSelector;
		this.connectedAuthority = uri.getRawAuthority();
		if (this.closed) {
			closeConnection();
			throw new IOException("the sender is closed");
		}
	}

	private void write(ByteBuffer head, ByteBuffer body, long deadline) throws IOException, InterruptedException {
		SelectionKey key = this.channel.keyFor(this.selector);
		key.interestOps(SelectionKey.OP_WRITE);
		ByteBuffer[] buffers = { head, body };
		while (head.hasRemaining() || body.hasRemaining()) {
			checkDeadline(deadline);
			if (this.channel.write(buffers) == 0) {
				await(this.selector, key, deadline);
			}
		}
	}

	private int readResponse(long deadline) throws IOException, InterruptedException {
		this.in.clear().flip();
		Response response;
		boolean first = true;
		do {
			response = readHead(deadline, first);
			first = false;
			if (response.status == 101) {
				// Nothing here asks for another protocol.
				throw new IOException("unexpected 101 Switching Protocols");
			}
		}
		// Interim answers (100 Continue, 103 Early Hints) come before the final one.
		while (response.status >= 100 && response.status < 200);
		boolean open = response.keepAlive;
		if (response.status == 204 || response.status == 304) {
			// No body, whatever the headers say.
		}
		else if (response.chunked) {
			skipChunks(deadline);
		}
		else if (response.contentLength >= 0) {
			skip(response.contentLength, deadline);
		}
		else {
			// The body ends where the connection does: closing it ends both.
			open = false;
		}
		if (!open || this.in.hasRemaining()) {
			closeConnection();
		}
		return response.status;
	}

	private Response readHead(long deadline, boolean first) throws IOException, InterruptedException {
		String statusLine = readLine(deadline, first);
		if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
			throw new IOException("not an HTTP/1.x response: " + abbreviate(statusLine));
		}
		int status = parseStatus(statusLine);
		boolean keepAlive = statusLine.charAt(7) != '0';
		boolean chunked = false;
		long contentLength = -1;
		int headBytes = statusLine.length();
		String line;
		while (!(line = readLine(deadline, false)).isEmpty()) {
			headBytes += line.length();
			if (headBytes > MAX_HEAD_BYTES) {
				throw new IOException("response head over " + MAX_HEAD_BYTES + " bytes");
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
			switch (name) {
				case "content-length" -> contentLength = parseLength(value);
				case "transfer-encoding" -> chunked = value.endsWith("chunked");
				case "connection" ->
					keepAlive = (statusLine.charAt(7) != '0') ? !value.contains("close") : value.contains("keep-alive");
				default -> {
				}
			}
		}
		return new Response(status, keepAlive, chunked, contentLength);
	}

	private static int parseStatus(String statusLine) throws IOException {
		int status = 0;
		for (int i = 9; i < 12; i++) {
			char c = statusLine.charAt(i);
			if (c < '0' || c > '9') {
				throw new IOException("not an HTTP/1.x response: " + abbreviate(statusLine));
			}
			status = status * 10 + (c - '0');
		}
		return status;
	}

	private static long parseLength(String value) throws IOException {
		try {
			long length = Long.parseLong(value);
			if (length >= 0) {
				return length;
			}
		}
		catch (NumberFormatException ex) {
			// Reported below.
		}
		throw new IOException("invalid Content-Length in the response: " + abbreviate(value));
	}

	private void skipChunks(long deadline) throws IOException, InterruptedException {
		while (true) {
			String sizeLine = readLine(deadline, false);
			int extension = sizeLine.indexOf(';');
			String hex = ((extension >= 0) ? sizeLine.substring(0, extension) : sizeLine).trim();
			long size;
			try {
				size = Long.parseLong(hex, 16);
			}
			catch (NumberFormatException ex) {
				throw new IOException("invalid chunk size in the response: " + abbreviate(sizeLine));
			}
			if (size < 0) {
				throw new IOException("invalid chunk size in the response: " + abbreviate(sizeLine));
			}
			if (size == 0) {
				// Trailers, if any, end with an empty line.
				while (!readLine(deadline, false).isEmpty()) {
				}
				return;
			}
			skip(size, deadline);
			if (!readLine(deadline, false).isEmpty()) {
				throw new IOException("chunk not followed by CRLF in the response");
			}
		}
	}

	private void skip(long length, long deadline) throws IOException, InterruptedException {
		long left = length;
		while (left > 0) {
			if (!this.in.hasRemaining()) {
				fill(deadline, false);
			}
			int step = (int) Math.min(left, this.in.remaining());
			this.in.position(this.in.position() + step);
			left -= step;
		}
	}

	// One line of the response, without its line end; bytes are ISO-8859-1.
	private String readLine(long deadline, boolean firstOfResponse) throws IOException, InterruptedException {
		StringBuilder line = new StringBuilder(64);
		boolean nothingRead = firstOfResponse;
		while (true) {
			if (!this.in.hasRemaining()) {
				fill(deadline, nothingRead);
			}
			nothingRead = false;
			byte b = this.in.get();
			if (b == '\n') {
				int end = line.length();
				if (end > 0 && line.charAt(end - 1) == '\r') {
					line.setLength(end - 1);
				}
				return line.toString();
			}
			if (line.length() >= MAX_HEAD_BYTES) {
				throw new IOException("response line over " + MAX_HEAD_BYTES + " bytes");
			}
			line.append((char) (b & 0xff));
		}
	}

	// Reads more of the response into an emptied buffer.
	private void fill(long deadline, boolean nothingReadYet) throws IOException, InterruptedException {
		SelectionKey key = this.channel.keyFor(this.selector);
		key.interestOps(SelectionKey.OP_READ);
		this.in.clear();
		try {
			int read;
			do {
				// Checked before every read: a service that streams without pause never
				// lets a read come back empty.
				checkDeadline(deadline);
				read = this.channel.read(this.in);
				if (read == 0) {
					await(this.selector, key, deadline);
				}
			}
			while (read == 0);
			if (read < 0) {
				throw new EOFException("the service closed the connection");
			}
		}
		catch (IOException ex) {
			if (nothingReadYet && !(ex instanceof SocketTimeoutException)) {
				throw new ClosedBeforeResponseException(ex);
			}
			throw ex;
		}
		finally {
			this.in.flip();
		}
	}

	// Callers check the deadline and the interrupt before each step.
	private static void await(Selector selector, SelectionKey key, long deadline) throws IOException {
		long remaining = deadline - System.nanoTime();
		selector.select(Math.max(1, remaining / 1_000_000));
		selector.selectedKeys().remove(key);
	}

	private static void checkDeadline(long deadline) throws IOException, InterruptedException {
		if (Thread.currentThread().isInterrupted()) {
			throw new InterruptedException("interrupted while posting");
		}
		if (deadline - System.nanoTime() <= 0) {
			throw new SocketTimeoutException("timed out");
		}
	}

	// A duration too long for a deadline in nanoseconds is as good as forever.
	private static long nanos(Duration duration) {
		return duration.compareTo(MAX_WAIT) < 0 ? duration.toNanos() : MAX_WAIT.toNanos();
	}

	private static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 40) + "...";
	}

	private void closeConnection() {
		release(this.channel, this.selector);
		this.channel = null;
		this.selector = null;
		this.connectedAuthority = null;
	}

	private static void release(SocketChannel channel, Selector selector) {
		try {
			if (channel != null) {
				channel.close();
			}
			if (selector != null) {
				// Wakes a post waiting in it.
				selector.close();
			}
		}
		catch (IOException ex) {
			// Nothing left to release.
		}
	}

	/**
	 * Closes the connection; a post in progress on another thread fails at once, and
	 * later posts fail.
	 */
	@Override
	public void close() {
		this.closed = true;
		// Not closeConnection(): a post in progress owns the fields and clears them when
		// it fails.
		release(this.channel, this.selector);
	}

	@Override
	public String toString() {
		return "SocketHttpSender";
	}

	private record Response(int status, boolean keepAlive, boolean chunked, long contentLength) {
	}

	/**
	 * The connection ended before any byte of the response: the service has not seen the
	 * post.
	 */
	private static final class ClosedBeforeResponseException extends EOFException {

		ClosedBeforeResponseException(IOException cause) {
			super("the connection closed before any response byte");
			initCause(cause);
		}

	}

}
