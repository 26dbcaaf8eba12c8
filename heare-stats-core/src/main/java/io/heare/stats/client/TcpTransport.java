package io.heare.stats.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * StatsD lines over one persistent TCP connection, every line ending in {@code \n}. The
 * connection is opened on the first send and again after it broke; a broken connection or
 * a write that times out gives {@link SendResult#retry}, so the sender keeps the batch
 * and nothing is lost while the collector restarts.
 * <p>
 * Before each write the connection is checked for an end-of-stream from the collector, so
 * a collector that closed or restarted between two sends costs nothing: the batch waits
 * and goes to the new one. StatsD has no acknowledgement, though, so two windows remain:
 * <ul>
 * <li>A connection that breaks during a write may already have delivered part of the
 * batch. The whole batch is retried, so those lines arrive twice (and the line that was
 * cut off arrives truncated). This at-least-once choice over-counts counters in that rare
 * case; dropping the batch instead would under-count every time a write fails.</li>
 * <li>A write that the kernel accepted just before the collector went away, but that the
 * collector never read, is lost without any error to detect.</li>
 * </ul>
 */
final class TcpTransport implements Transport {

	private final String host;

	private final int port;

	private final long connectTimeoutNanos;

	private final long writeTimeoutNanos;

	private final StatsdLineFormatter formatter;

	private final StatsdLineFormatter.LineConsumer lineConsumer = this::append;

	private final ByteBuffer probe = ByteBuffer.allocate(512);

	private ByteBuffer out = ByteBuffer.allocate(8192);

	private SocketChannel channel;

	private Selector selector;

	/**
	 * @param host host name or address of the collector
	 * @param port its TCP port
	 * @param connectTimeout limit on establishing the connection
	 * @param writeTimeout limit on writing one batch
	 * @param flavor the StatsD daemon the lines are written for
	 * @param histogramType overrides the flavor's type for histogram lines; {@code null}
	 * for none
	 */
	public TcpTransport(String host, int port, Duration connectTimeout, Duration writeTimeout, StatsdFlavor flavor,
			HistogramType histogramType) {
		this.host = host;
		this.port = port;
		this.connectTimeoutNanos = connectTimeout.toNanos();
		this.writeTimeoutNanos = writeTimeout.toNanos();
		this.formatter = new StatsdLineFormatter(flavor, histogramType);
	}

	@Override
	public SendResult send(Batch batch) {
		this.out.clear();
		this.formatter.format(batch, this.lineConsumer);
		this.out.flip();
		int size = this.out.remaining();
		try {
			if (this.channel != null && !connectionAlive()) {
				closeChannel();
			}
			if (this.channel == null) {
				connect();
			}
			write(this.out);
			return SendResult.success(1, size);
		}
		catch (IOException ex) {
			closeChannel();
			return SendResult.retry(Failures.describe("sending to", "tcp://" + this.host + ":" + this.port, ex));
		}
	}

	private void append(byte[] line, int length, long updates) {
		if (this.out.remaining() < length + 1) {
			ByteBuffer grown = ByteBuffer.allocate(Math.max(this.out.capacity() * 2, this.out.position() + length + 1));
			this.out.flip();
			grown.put(this.out);
			this.out = grown;
		}
		this.out.put(line, 0, length).put((byte) '\n');
	}

	// A collector never writes to us, so end-of-stream or an error here means the
	// connection is gone, and writing into it would only fill a buffer nobody reads.
	private boolean connectionAlive() {
		try {
			int read;
			do {
				this.probe.clear();
				read = this.channel.read(this.probe);
			}
			while (read > 0);
			return read == 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void connect() throws IOException {
		InetSocketAddress address = new InetSocketAddress(this.host, this.port);
		if (address.isUnresolved()) {
			throw new IOException("cannot resolve host");
		}
		SocketChannel opened = SocketChannel.open();
		Selector openedSelector = null;
		try {
			opened.configureBlocking(false);
			openedSelector = Selector.open();
			SelectionKey key = opened.register(openedSelector, SelectionKey.OP_CONNECT);
			long deadline = System.nanoTime() + this.connectTimeoutNanos;
			if (!opened.connect(address)) {
				while (!opened.finishConnect()) {
					await(openedSelector, key, deadline, "connect");
				}
			}
			key.interestOps(SelectionKey.OP_WRITE);
		}
		catch (IOException | RuntimeException ex) {
			opened.close();
			if (openedSelector != null) {
				openedSelector.close();
			}
			throw ex;
		}
		this.channel = opened;
		this.selector = openedSelector;
	}

	private void write(ByteBuffer buffer) throws IOException {
		long deadline = System.nanoTime() + this.writeTimeoutNanos;
		SelectionKey key = this.channel.keyFor(this.selector);
		while (buffer.hasRemaining()) {
			if (this.channel.write(buffer) == 0) {
				await(this.selector, key, deadline, "write");
			}
		}
	}

	private static void await(Selector selector, SelectionKey key, long deadline, String what) throws IOException {
		long remaining = deadline - System.nanoTime();
		if (remaining <= 0) {
			throw new SocketTimeoutException(what + " timed out");
		}
		selector.select(Math.max(1, remaining / 1_000_000));
		selector.selectedKeys().remove(key);
		if (Thread.currentThread().isInterrupted()) {
			throw new IOException(what + " interrupted");
		}
	}

	private void closeChannel() {
		try {
			if (this.channel != null) {
				this.channel.close();
			}
			if (this.selector != null) {
				this.selector.close();
			}
		}
		catch (IOException ex) {
			// Nothing left to release.
		}
		this.channel = null;
		this.selector = null;
	}

	@Override
	public void close() {
		closeChannel();
	}

	@Override
	public String toString() {
		return "TcpTransport[tcp://" + this.host + ":" + this.port + "]";
	}

}
