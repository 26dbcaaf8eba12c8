package io.heare.stats.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A StatsD server on 127.0.0.1 (UDP, ephemeral port) that drains every datagram on its
 * own thread and keeps just enough to check delivery: datagrams, lines, the sum of every
 * counter (scaled by its sample rate), the number of timer and histogram values, the last
 * gauge value, and malformed lines. Lines may carry Datadog extensions ({@code |#tags},
 * {@code |c:container}, {@code |T...}): they are skipped.
 * <p>
 * A sink made with {@link #drainOnly()} counts datagrams and bytes and parses nothing:
 * the record-cost benchmarks use it, because parsing on the same two cores as the client
 * costs CPU in proportion to what a client delivers, and so charged the client that
 * delivers the most for the sink's work (three quarters of a parsing sink's CPU time is
 * parsing).
 * <p>
 * Thread-safe: the drain thread applies one datagram at a time under the sink's lock and
 * {@link #snapshot()} copies under the same lock.
 */
public final class LoopbackStatsdSink implements AutoCloseable {

	/**
	 * Requested SO_RCVBUF; the kernel caps it at net.core.rmem_max (see
	 * {@link #receiveBufferSize()}).
	 */
	public static final int RECEIVE_BUFFER = 8 * 1024 * 1024;

	private final DatagramChannel channel;

	private final int port;

	private final int receiveBufferSize;

	private final Thread drainer;

	// Guarded by this.
	private long datagrams;

	private long bytes;

	private long lines;

	private long malformed;

	/**
	 * Per-name totals, keyed by the name's bytes so that parsing a line allocates
	 * nothing.
	 */
	private Entry[] table = new Entry[1024];

	private int size;

	private long lastDatagramNanos;

	private final boolean parse;

	/** A sink that parses every line. */
	public LoopbackStatsdSink() throws IOException {
		this(true);
	}

	/**
	 * A sink that only counts datagrams and bytes; its snapshots have no lines and no
	 * metrics.
	 */
	public static LoopbackStatsdSink drainOnly() throws IOException {
		return new LoopbackStatsdSink(false);
	}

	private LoopbackStatsdSink(boolean parse) throws IOException {
		this.parse = parse;
		this.channel = DatagramChannel.open();
		this.channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
		this.channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		this.port = ((InetSocketAddress) this.channel.getLocalAddress()).getPort();
		this.receiveBufferSize = this.channel.getOption(StandardSocketOptions.SO_RCVBUF);
		this.drainer = new Thread(this::drain, "statsd-sink-" + this.port);
		this.drainer.setDaemon(true);
		this.drainer.start();
	}

	public String host() {
		return "127.0.0.1";
	}

	public int port() {
		return this.port;
	}

	/** The SO_RCVBUF the kernel granted (Linux reports twice the usable size). */
	public int receiveBufferSize() {
		return this.receiveBufferSize;
	}

	private void drain() {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		byte[] array = buffer.array();
		try {
			while (true) {
				buffer.clear();
				this.channel.receive(buffer);
				apply(array, buffer.position());
			}
		}
		catch (ClosedChannelException ex) {
			// close()
		}
		catch (IOException ex) {
			System.err.println("statsd sink stopped: " + ex);
		}
	}

	private synchronized void apply(byte[] b, int len) {
		this.datagrams++;
		this.bytes += len;
		this.lastDatagramNanos = System.nanoTime();
		if (!this.parse) {
			return;
		}
		int start = 0;
		for (int i = 0; i <= len; i++) {
			if (i == len || b[i] == '\n') {
				if (i > start) {
					this.lines++;
					line(b, start, i);
				}
				start = i + 1;
			}
		}
	}

	/** Parses {@code name:value|type[|@rate][|other...]} in {@code b[from, to)}. */
	private void line(byte[] b, int from, int to) {
		int colon = indexOf(b, from, to, (byte) ':');
		int bar = (colon < 0) ? -1 : indexOf(b, colon + 1, to, (byte) '|');
		if (colon <= from || bar < 0) {
			this.malformed++;
			return;
		}
		int typeEnd = indexOf(b, bar + 1, to, (byte) '|');
		if (typeEnd < 0) {
			typeEnd = to;
		}
		double rate = 1.0;
		for (int f = typeEnd; f < to;) {
			int next = indexOf(b, f + 1, to, (byte) '|');
			if (next < 0) {
				next = to;
			}
			if (next > f + 2 && b[f + 1] == '@') {
				rate = parse(b, f + 2, next);
			}
			f = next;
		}
		int typeLen = typeEnd - bar - 1;
		char t0 = (typeLen > 0) ? (char) b[bar + 1] : 0;
		try {
			if (typeLen == 1 && t0 == 'c') {
				double value = parse(b, colon + 1, bar);
				double scaled = (rate > 0 && rate < 1) ? value / rate : value;
				Entry e = entry(b, from, colon);
				e.counter += scaled;
				e.hasCounter = true;
			}
			else if ((typeLen == 2 && t0 == 'm' && b[bar + 2] == 's') || (typeLen == 1 && t0 == 'd')) {
				parse(b, colon + 1, bar);
				entry(b, from, colon).timers++;
			}
			else if (typeLen == 1 && t0 == 'h') {
				parse(b, colon + 1, bar);
				entry(b, from, colon).histograms++;
			}
			else if (typeLen == 1 && t0 == 'g') {
				double value = parse(b, colon + 1, bar);
				char sign = (char) b[colon + 1];
				Entry e = entry(b, from, colon);
				e.gauge = (sign == '+' || sign == '-') ? e.gauge + value : value;
				e.hasGauge = true;
			}
			else if (typeLen == 1 && t0 == 's') {
				// sets: recognised, not counted
			}
			else {
				this.malformed++;
			}
		}
		catch (NumberFormatException ex) {
			this.malformed++;
		}
	}

	private Entry entry(byte[] b, int from, int to) {
		int h = 1;
		for (int i = from; i < to; i++) {
			h = 31 * h + b[i];
		}
		int slot = (h ^ (h >>> 16)) & (this.table.length - 1);
		for (Entry e = this.table[slot]; e != null; e = e.next) {
			if (e.hash == h && Arrays.equals(e.name, 0, e.name.length, b, from, to)) {
				return e;
			}
		}
		Entry e = new Entry(Arrays.copyOfRange(b, from, to), h, this.table[slot]);
		this.table[slot] = e;
		if (++this.size > this.table.length * 3 / 4) {
			Entry[] old = this.table;
			this.table = new Entry[old.length * 2];
			for (Entry head : old) {
				for (Entry x = head; x != null;) {
					Entry next = x.next;
					int s = (x.hash ^ (x.hash >>> 16)) & (this.table.length - 1);
					x.next = this.table[s];
					this.table[s] = x;
					x = next;
				}
			}
		}
		return e;
	}

	private static final class Entry {

		final byte[] name;

		final int hash;

		Entry next;

		double counter;

		boolean hasCounter;

		long timers;

		long histograms;

		double gauge;

		boolean hasGauge;

		Entry(byte[] name, int hash, Entry next) {
			this.name = name;
			this.hash = hash;
			this.next = next;
		}

		String name() {
			return new String(this.name, StandardCharsets.ISO_8859_1);
		}

	}

	private static int indexOf(byte[] b, int from, int to, byte c) {
		for (int i = from; i < to; i++) {
			if (b[i] == c) {
				return i;
			}
		}
		return -1;
	}

	/** Integers fast, anything else through {@link Double#parseDouble}. */
	private static double parse(byte[] b, int from, int to) {
		if (from >= to) {
			throw new NumberFormatException("empty");
		}
		int i = from;
		boolean negative = false;
		if (b[i] == '-' || b[i] == '+') {
			negative = b[i] == '-';
			i++;
		}
		long v = 0;
		int digits = 0;
		for (; i < to && digits < 18; i++, digits++) {
			int d = b[i] - '0';
			if (d < 0 || d > 9) {
				break;
			}
			v = v * 10 + d;
		}
		if (i == to && digits > 0) {
			return negative ? -v : v;
		}
		return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
	}

	/** A consistent copy of everything received so far. */
	public synchronized Snapshot snapshot() {
		Map<String, Double> c = new HashMap<>();
		Map<String, Long> t = new HashMap<>();
		Map<String, Long> h = new HashMap<>();
		Map<String, Double> g = new HashMap<>();
		for (Entry head : this.table) {
			for (Entry e = head; e != null; e = e.next) {
				String name = e.name();
				if (e.hasCounter) {
					c.put(name, e.counter);
				}
				if (e.timers != 0) {
					t.put(name, e.timers);
				}
				if (e.histograms != 0) {
					h.put(name, e.histograms);
				}
				if (e.hasGauge) {
					g.put(name, e.gauge);
				}
			}
		}
		return new Snapshot(this.datagrams, this.bytes, this.parse ? this.lines : -1, this.malformed, c, t, h, g,
				kernelDrops());
	}

	/** Clears everything received so far (not the kernel drop count). */
	public synchronized void reset() {
		this.datagrams = 0;
		this.bytes = 0;
		this.lines = 0;
		this.malformed = 0;
		this.table = new Entry[1024];
		this.size = 0;
	}

	/**
	 * Waits until no datagram has arrived for {@code quietMillis}, or {@code maxMillis}
	 * have passed. Returns whether the sink went quiet.
	 */
	public boolean awaitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
		long deadline = System.nanoTime() + maxMillis * 1_000_000L;
		while (System.nanoTime() < deadline) {
			long last;
			synchronized (this) {
				last = this.lastDatagramNanos;
			}
			if (System.nanoTime() - last >= quietMillis * 1_000_000L) {
				return true;
			}
			Thread.sleep(Math.max(1, quietMillis / 5));
		}
		return false;
	}

	/**
	 * Datagrams the kernel dropped on this socket because its receive buffer was full,
	 * from {@code /proc/net/udp} (Linux); -1 when unknown.
	 */
	public long kernelDrops() {
		String portSuffix = String.format(":%04X", this.port);
		for (String file : new String[] { "/proc/net/udp", "/proc/net/udp6" }) {
			try {
				for (String row : Files.readAllLines(Path.of(file))) {
					String[] f = row.trim().split("\\s+");
					if (f.length > 12 && f[1].toUpperCase().endsWith(portSuffix) && !f[0].equals("sl")) {
						return Long.parseLong(f[f.length - 1]);
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// not Linux, or the format changed
			}
		}
		return -1;
	}

	@Override
	public void close() {
		try {
			this.channel.close();
			this.drainer.join(1000);
		}
		catch (IOException ex) {
			// ignore
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What the sink received.
	 *
	 * @param lines lines received, -1 when the sink does not parse
	 * @param counters name to the sum of its values, each divided by its sample rate
	 * @param timerCounts name to the number of {@code ms} (or {@code d}) values
	 * @param histogramCounts name to the number of {@code h} values
	 * @param kernelDrops datagrams dropped by the kernel on the sink's socket, -1 if
	 * unknown
	 */
	public record Snapshot(long datagrams, long bytes, long lines, long malformed, Map<String, Double> counters,
			Map<String, Long> timerCounts, Map<String, Long> histogramCounts, Map<String, Double> gauges,
			long kernelDrops) {

		/** The sum of the counters whose name starts with {@code prefix}. */
		public double counterTotal(String prefix) {
			return this.counters.entrySet()
				.stream()
				.filter((e) -> e.getKey().startsWith(prefix))
				.mapToDouble(Map.Entry::getValue)
				.sum();
		}

		public double counterTotal() {
			return counterTotal("");
		}

		public long timerValues() {
			return this.timerCounts.values().stream().mapToLong(Long::longValue).sum();
		}

		public long histogramValues() {
			return this.histogramCounts.values().stream().mapToLong(Long::longValue).sum();
		}

	}

}
