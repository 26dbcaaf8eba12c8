package io.heare.stats.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A loopback UDP socket on a free port that hands back the datagrams it received. */
final class UdpReceiver implements AutoCloseable {

	private final DatagramSocket socket;

	UdpReceiver(String address, int port) throws IOException {
		this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port));
		this.socket.setReceiveBufferSize(1 << 20);
	}

	UdpReceiver() throws IOException {
		this("127.0.0.1", 0);
	}

	int port() {
		return this.socket.getLocalPort();
	}

	/** Every datagram that arrives until none has for {@code quietMillis}. */
	List<String> datagrams(int quietMillis) throws IOException {
		if (quietMillis <= 0) {
			throw new IllegalArgumentException("a receive timeout of 0 would wait forever");
		}
		List<String> datagrams = new ArrayList<>();
		byte[] buffer = new byte[70_000];
		this.socket.setSoTimeout(quietMillis);
		while (true) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				this.socket.receive(packet);
			}
			catch (SocketTimeoutException ex) {
				return datagrams;
			}
			datagrams.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII));
		}
	}

	/**
	 * The lines of every datagram that arrives until none has for {@code quietMillis}.
	 */
	List<String> lines(int quietMillis) throws IOException {
		return datagrams(quietMillis).stream().flatMap((datagram) -> Arrays.stream(datagram.split("\n"))).toList();
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
