package io.heare.stats.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;

/**
 * StatsD lines in UDP datagrams: lines are packed, joined by {@code \n}, into datagrams
 * of at most {@code maxPacketSize} bytes; a line is never split (one longer than the
 * limit goes alone). The host name is resolved again every {@code hostRefreshInterval},
 * so that a collector that moved is found without a restart.
 * <p>
 * UDP promises no delivery, so a datagram the operating system refuses (port unreachable,
 * no route) is counted as {@link SendResult#failed failed} and never retried: retrying
 * would only reorder a stream that is lossy anyway.
 */
final class UdpTransport implements Transport {

	/** The largest UDP payload over IPv4. */
	public static final int MAX_DATAGRAM = 65_507;

	private final String host;

	private final int port;

	private final int maxPacketSize;

	private final long refreshNanos;

	private final StatsdLineFormatter formatter;

	private final StatsdLineFormatter.LineConsumer lineConsumer = this::addLine;

	private final Resolver resolver;

	private final ByteBuffer packet;

	private final DatagramPacer pacer;

	private DatagramChannel channel;

	private InetSocketAddress target;

	private long resolvedAtNanos;

	// Per-send tallies.
	private long datagrams;

	private long bytes;

	// Updates in the datagram being filled, and in datagrams that could not be sent.
	private long packetUpdates;

	private long lostUpdates;

	private String failure;

	/**
	 * @param host host name or address of the collector
	 * @param port its UDP port
	 * @param maxPacketSize the most payload bytes in one datagram
	 * @param hostRefreshInterval how often the host name is resolved again
	 * @param flavor the StatsD daemon the lines are written for
	 * @param histogramType overrides the flavor's type for histogram lines; {@code null}
	 * for none
	 * @param maxPacketsPerSecond the most datagrams sent per second, 0 for no limit
	 */
	public UdpTransport(String host, int port, int maxPacketSize, Duration hostRefreshInterval, StatsdFlavor flavor,
			HistogramType histogramType, int maxPacketsPerSecond) {
		this(host, port, maxPacketSize, hostRefreshInterval, flavor, histogramType, maxPacketsPerSecond,
				InetAddress::getByName);
	}

	UdpTransport(String host, int port, int maxPacketSize, Duration hostRefreshInterval, StatsdFlavor flavor,
			HistogramType histogramType, int maxPacketsPerSecond, Resolver resolver) {
		this.pacer = (maxPacketsPerSecond > 0) ? new DatagramPacer(maxPacketsPerSecond) : null;
		this.resolver = resolver;
		this.host = host;
		this.port = port;
		this.maxPacketSize = maxPacketSize;
		this.refreshNanos = hostRefreshInterval.toNanos();
		this.formatter = new StatsdLineFormatter(flavor, histogramType);
		this.packet = ByteBuffer.allocate(maxPacketSize);
	}

	@Override
	public SendResult send(Batch batch) {
		this.datagrams = 0;
		this.bytes = 0;
		this.failure = null;
		this.packetUpdates = 0;
		this.lostUpdates = 0;
		String unresolved = ensureChannel();
		if (unresolved != null) {
			return SendResult.failed(0, 0, unresolved, batch.updates());
		}
		this.packet.clear();
		this.formatter.format(batch, this.lineConsumer);
		sendPacket();
		return (this.failure != null) ? SendResult.failed(this.datagrams, this.bytes, this.failure, this.lostUpdates)
				: SendResult.success(this.datagrams, this.bytes);
	}

	private void addLine(byte[] line, int length, long updates) {
		if (this.packet.position() > 0 && this.packet.position() + 1 + length > this.maxPacketSize) {
			sendPacket();
		}
		if (length > this.maxPacketSize) {
			// The packet is empty here; a line is never split, so this one goes alone.
			if (!send(ByteBuffer.wrap(line, 0, length))) {
				this.lostUpdates += updates;
			}
			return;
		}
		if (this.packet.position() > 0) {
			this.packet.put((byte) '\n');
		}
		this.packet.put(line, 0, length);
		this.packetUpdates += updates;
	}

	private void sendPacket() {
		if (this.packet.position() > 0) {
			this.packet.flip();
			if (!send(this.packet)) {
				this.lostUpdates += this.packetUpdates;
			}
			this.packet.clear();
			this.packetUpdates = 0;
		}
	}

	// Whether the datagram went out.
	private boolean send(ByteBuffer datagram) {
		int size = datagram.remaining();
		try {
			if (this.channel == null) {
				openChannel();
			}
			if (this.pacer != null) {
				this.pacer.await();
			}
			this.channel.write(datagram);
			this.datagrams++;
			this.bytes += size;
			return true;
		}
		catch (IOException ex) {
			if (!(ex instanceof PortUnreachableException)) {
				// A connected channel survives a port-unreachable report; anything else
				// gets a fresh one.
				closeChannel();
			}
			this.failure = ex.getClass().getSimpleName() + " sending to udp://" + this.host + ":" + this.port
					+ ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
			return false;
		}
	}

	/**
	 * Resolves the host when due; returns a failure cause when there is nowhere to send.
	 */
	private String ensureChannel() {
		long now = System.nanoTime();
		if (this.target != null && now - this.resolvedAtNanos < this.refreshNanos) {
			return null;
		}
		try {
			InetSocketAddress resolved = new InetSocketAddress(this.resolver.resolve(this.host), this.port);
			this.resolvedAtNanos = now;
			if (!resolved.equals(this.target)) {
				this.target = resolved;
				closeChannel();
			}
			return null;
		}
		catch (UnknownHostException ex) {
			if (this.target != null) {
				// Keep sending to the last known address; try resolving again after the
				// interval.
				this.resolvedAtNanos = now;
				return null;
			}
			return "cannot resolve udp://" + this.host + ":" + this.port;
		}
	}

	// Connected, so that the kernel reports an unreachable port on a later send instead
	// of dropping datagrams silently.
	private void openChannel() throws IOException {
		DatagramChannel opened = DatagramChannel.open();
		try {
			opened.connect(this.target);
		}
		catch (IOException | RuntimeException ex) {
			opened.close();
			throw ex;
		}
		this.channel = opened;
	}

	private void closeChannel() {
		if (this.channel != null) {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// Nothing left to release.
			}
			this.channel = null;
		}
	}

	@Override
	public void close() {
		closeChannel();
	}

	@Override
	public String toString() {
		return "UdpTransport[udp://" + this.host + ":" + this.port + "]";
	}

	/** Looks a host name up; a seam so that tests can move the collector. */
	@FunctionalInterface
	interface Resolver {

		InetAddress resolve(String host) throws UnknownHostException;

	}

}
