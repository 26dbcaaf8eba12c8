package io.heare.stats.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the StatsD UDP and TCP listeners, and tells tests which ports they
 * got. With port 0 it tries to give both the same free port, as a real relay has.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class StatsdServers implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(StatsdServers.class);

	private static final int SAME_PORT_ATTEMPTS = 10;

	private final String bindAddress;

	private final int port;

	private final StatsdIngester ingester;

	private final int maxTcpConnections;

	private final int tcpIdleTimeoutMillis;

	private volatile @Nullable StatsdUdpServer udp;

	private volatile @Nullable StatsdTcpServer tcp;

	/**
	 * Creates a new instance.
	 * @param bindAddress the address to bind to
	 * @param port the port for both listeners; 0 picks a free one
	 * @param ingester where the lines go
	 * @param maxTcpConnections how many TCP connections are served at once
	 * @param tcpIdleTimeoutMillis how long a TCP connection may stay silent before it is
	 * closed
	 */
	public StatsdServers(String bindAddress, int port, StatsdIngester ingester, int maxTcpConnections,
			int tcpIdleTimeoutMillis) {
		this.bindAddress = bindAddress;
		this.port = port;
		this.ingester = ingester;
		this.maxTcpConnections = maxTcpConnections;
		this.tcpIdleTimeoutMillis = tcpIdleTimeoutMillis;
	}

	@Override
	public void start() {
		try {
			if (this.port != 0) {
				bind(this.port, this.port);
			}
			else {
				bindSamePort();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot bind StatsD listeners on " + this.bindAddress + ":" + this.port, ex);
		}
		logger.info("StatsD listening on {} (UDP port {}, TCP port {})", this.bindAddress, udpPort(), tcpPort());
	}

	private void bindSamePort() throws IOException {
		for (int attempt = 0; attempt < SAME_PORT_ATTEMPTS; attempt++) {
			this.tcp = new StatsdTcpServer(new InetSocketAddress(this.bindAddress, 0), this.ingester,
					this.maxTcpConnections, this.tcpIdleTimeoutMillis);
			try {
				this.udp = new StatsdUdpServer(new InetSocketAddress(this.bindAddress, this.tcp.port()), this.ingester);
				return;
			}
			catch (IOException ex) {
				// Some other process has that UDP port: try another TCP port.
				closeQuietly();
			}
		}
		bind(0, 0);
	}

	private void bind(int udpPort, int tcpPort) throws IOException {
		this.udp = new StatsdUdpServer(new InetSocketAddress(this.bindAddress, udpPort), this.ingester);
		this.tcp = new StatsdTcpServer(new InetSocketAddress(this.bindAddress, tcpPort), this.ingester,
				this.maxTcpConnections, this.tcpIdleTimeoutMillis);
	}

	/**
	 * Returns the bound UDP port.
	 * @return the port, or -1 when not running
	 */
	public int udpPort() {
		StatsdUdpServer server = this.udp;
		return (server != null) ? server.port() : -1;
	}

	/**
	 * Returns the bound TCP port.
	 * @return the port, or -1 when not running
	 */
	public int tcpPort() {
		StatsdTcpServer server = this.tcp;
		return (server != null) ? server.port() : -1;
	}

	@Override
	public void stop() {
		closeQuietly();
	}

	private void closeQuietly() {
		try {
			if (this.udp != null) {
				this.udp.close();
			}
			if (this.tcp != null) {
				this.tcp.close();
			}
		}
		catch (IOException ex) {
			logger.warn("Closing StatsD listeners failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.udp = null;
			this.tcp = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.udp != null;
	}

}
