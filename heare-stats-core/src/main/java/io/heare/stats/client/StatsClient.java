package io.heare.stats.client;

import java.time.Duration;
import java.util.Collection;

/**
 * Records counters, gauges, timers and histograms and sends them to a heare metrics
 * service (or any StatsD daemon) in the background.
 * <p>
 * Every recording method is safe to call from any thread, returns without waiting on the
 * network, and never throws: invalid names or values are dropped and counted in
 * {@link #telemetry()}. Metrics recorded directly on the client are aggregated and
 * batched exactly like those recorded through a {@link #pipeline() pipeline}.
 * <p>
 * Names are sanitized before they are sent: every character outside
 * {@code [A-Za-z0-9_.-]} (including {@code :}, {@code |}, {@code @}, whitespace and
 * control characters) becomes {@code _}, and leading or trailing dots are removed. When a
 * prefix is configured it is joined to the sanitized name with a dot.
 */
public interface StatsClient extends AutoCloseable {

	/** Adds one to the counter {@code name}. */
	default void incr(String name) {
		incr(name, 1d);
	}

	/** Adds {@code value} to the counter {@code name}. */
	void incr(String name, double value);

	/**
	 * Adds {@code value} to the counter {@code name}, sampled: the update is recorded
	 * with probability {@code sampleRate} and the service scales it back up.
	 * @param sampleRate in (0, 1]; values outside that range record unsampled
	 */
	void incr(String name, double value, double sampleRate);

	/** Subtracts one from the counter {@code name}. */
	default void decr(String name) {
		incr(name, -1d);
	}

	/** Subtracts {@code value} from the counter {@code name}. */
	default void decr(String name, double value) {
		incr(name, -value);
	}

	/** Records a duration of {@code millis} milliseconds for the timer {@code name}. */
	void time(String name, double millis);

	/**
	 * Records a duration of {@code millis} milliseconds, sampled at {@code sampleRate}.
	 */
	void time(String name, double millis, double sampleRate);

	/** Records {@code duration} for the timer {@code name}, in milliseconds. */
	default void time(String name, Duration duration) {
		if (duration == null) {
			time(name, Double.NaN);
			return;
		}
		time(name, duration.toNanos() / 1_000_000d);
	}

	/** Sets the gauge {@code name} to {@code value}; the last value recorded wins. */
	void gauge(String name, double value);

	/** Records {@code value} in the histogram {@code name}. */
	void hist(String name, double value);

	/**
	 * The counter {@code name}, bound: for a name recorded often, keep the handle and
	 * record through it, which skips looking the name up on every update. Updates through
	 * the handle and through {@link #incr(String, double)} go to the same counter.
	 * Binding records nothing: the name counts towards the client's limit of names when
	 * the first update arrives.
	 * @param name the counter's name
	 * @return the bound counter; never {@code null}
	 */
	default Counter counter(String name) {
		return (value) -> incr(name, value);
	}

	/**
	 * The timer {@code name}, bound, as {@link #counter(String)}.
	 * @param name the timer's name
	 * @return the bound timer; never {@code null}
	 */
	default Timer timer(String name) {
		return (millis) -> time(name, millis);
	}

	/**
	 * The histogram {@code name}, bound, as {@link #counter(String)}.
	 * @param name the histogram's name
	 * @return the bound histogram; never {@code null}
	 */
	default Histogram histogram(String name) {
		return (value) -> hist(name, value);
	}

	/**
	 * Several metrics updated by one call, bound: every value recorded through the
	 * returned timer goes to each of the timers {@code timerNames}, and each of the
	 * counters {@code counterNames} counts one, as if each had been recorded on its own
	 * (each update is counted, delivered or dropped on its own too). For an event that
	 * always updates the same metrics, such as a request, this costs little more than one
	 * update: the client applies the value to the group's metrics in the background.
	 * @param timerNames the timers that take every value
	 * @param counterNames the counters that count every value
	 * @return the bound group; never {@code null}
	 */
	default Timer timer(Collection<String> timerNames, Collection<String> counterNames) {
		Timer[] timers = timerNames.stream().map(this::timer).toArray(Timer[]::new);
		Counter[] counters = counterNames.stream().map(this::counter).toArray(Counter[]::new);
		return (millis) -> {
			for (Timer timer : timers) {
				timer.time(millis);
			}
			for (Counter counter : counters) {
				counter.incr();
			}
		};
	}

	/**
	 * Opens a pipeline: metrics recorded on it are held until it is closed and then
	 * handed to this client as one batch. Use it in try-with-resources.
	 */
	Pipeline pipeline();

	/**
	 * Sends everything recorded so far and waits, up to the configured flush timeout,
	 * until it is delivered or has failed, whether or not the calling thread is
	 * interrupted (its interrupt status is kept). Never throws. After the service
	 * rejected the secret, a flush within the rejection's backoff sends nothing and
	 * returns {@code false} at once.
	 * @return {@code true} if everything recorded before the call was delivered, and
	 * nothing recorded since the previous flush was dropped (at a limit, refused by the
	 * service, or lost in sending)
	 */
	boolean flush();

	/**
	 * Flushes with the configured close timeout (whether or not the calling thread is
	 * interrupted), makes one last drain and send, then stops the sender thread; what
	 * could not be delivered is counted. Later calls are ignored, and metrics recorded
	 * after close are dropped and counted.
	 */
	@Override
	void close();

	/** A snapshot of what this client recorded, sent and dropped. */
	Telemetry telemetry();

	/**
	 * Creates and starts the client that {@code config} describes: a {@link HttpClient},
	 * {@link WsClient}, {@link UdpClient} or {@link TcpClient} by its
	 * {@link StatsClientConfig#PROTOCOL protocol}. The caller closes it.
	 * @param config the validated configuration
	 * @return the client, whose sender thread is running
	 */
	static StatsClient create(StatsClientConfig config) {
		return switch (config.protocol()) {
			case HTTP -> new HttpClient(config);
			case WS -> new WsClient(config);
			case UDP -> new UdpClient(config);
			case TCP -> new TcpClient(config);
		};
	}

	/** A client that records nothing and sends nothing. */
	static StatsClient noop() {
		return NoopStatsClient.INSTANCE;
	}

}
