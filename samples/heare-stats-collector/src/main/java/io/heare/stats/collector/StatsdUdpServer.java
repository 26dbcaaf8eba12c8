package io.heare.stats.collector;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives StatsD datagrams on one thread; each datagram may hold several lines. The
 * thread survives any datagram.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class StatsdUdpServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StatsdUdpServer.class);

	/** Largest UDP payload, so that no datagram is ever truncated. */
	private static final int MAX_DATAGRAM = 65_535;

	private final DatagramSocket socket;

	private final Thread thread;

	/**
	 * Binds the socket and starts receiving.
	 * @param address where to bind; port 0 picks a free port
	 * @param ingester where the lines go
	 * @throws SocketException if the socket cannot be bound
	 */
	public StatsdUdpServer(InetSocketAddress address, StatsdIngester ingester) throws SocketException {
		this.socket = new DatagramSocket(address);
		// A large receive buffer absorbs bursts from load tests instead of dropping them.
		this.socket.setReceiveBufferSize(4 * 1024 * 1024);
		this.thread = new Thread(() -> receive(ingester), "statsd-udp-" + port());
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Returns the bound port.
	 * @return the port
	 */
	public int port() {
		return this.socket.getLocalPort();
	}

	private void receive(StatsdIngester ingester) {
		byte[] buffer = new byte[MAX_DATAGRAM];
		DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
		while (!this.socket.isClosed()) {
			try {
				packet.setLength(buffer.length);
				this.socket.receive(packet);
				ingester.acceptPayload(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				if (!this.socket.isClosed()) {
					logger.warn("StatsD UDP receive failed", ex);
				}
			}
			catch (Throwable ex) {
				// Whatever one datagram does (an OutOfMemoryError included), the listener
				// goes on with the next one rather than leave the port dead.
				logger.warn("StatsD UDP datagram could not be processed", ex);
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.socket.close();
		this.thread.join(5_000);
	}

}
