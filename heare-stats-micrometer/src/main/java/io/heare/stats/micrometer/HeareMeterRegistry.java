package io.heare.stats.micrometer;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.heare.stats.client.MetricNames;
import io.heare.stats.client.Pipeline;
import io.heare.stats.client.StatsClient;
import io.micrometer.common.util.internal.logging.WarnThenDebugLogger;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramGauges;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.push.PushMeterRegistry;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * A Micrometer {@link io.micrometer.core.instrument.MeterRegistry} that sends every meter
 * to heare through a {@link StatsClient}.
 * <p>
 * Counters, timers and distribution summaries are handed to the client as they are
 * recorded ({@code incr}, {@code time} in milliseconds, {@code hist}); the client
 * aggregates them and sends them in the background, so recording never waits on the
 * network. Gauges, function counters, function timers, long task timers and meters of
 * custom types are read once per {@link HeareConfig#step() step}, on the registry's
 * publishing thread, and sent in one pipeline: gauges as gauges, cumulative values as
 * counter increments of what they grew by since the last step. Every meter also keeps
 * Micrometer's cumulative statistics, so {@code count()}, {@code totalTime()},
 * {@code max()} and the Actuator metrics endpoint read as they do with Micrometer's
 * simple registry.
 * <p>
 * Names: see {@link #heareName(Meter.Id)}. The registry does not own the client: closing
 * the registry does a last read of the polled meters and leaves the client open.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class HeareMeterRegistry extends PushMeterRegistry {

	private static final ThreadFactory DEFAULT_THREAD_FACTORY = new NamedThreadFactory("heare-metrics-publisher");

	private static final WarnThenDebugLogger pollFailureLogger = new WarnThenDebugLogger(HeareMeterRegistry.class);

	private static final WarnThenDebugLogger nameMapperFailureLogger = new WarnThenDebugLogger(
			HeareMeterRegistry.class);

	private final HeareConfig config;

	private final StatsClient client;

	private final HeareNameMapper nameMapper;

	private final MeterCapFilter capFilter;

	private final RefusedUpdates refused;

	private final Map<Meter.Id, PolledMeter> polledMeters = new ConcurrentHashMap<>();

	private final Map<Meter.Id, PolledMeter> refusedPolledMeters = new ConcurrentHashMap<>();

	/**
	 * Creates a registry on the system clock with the default names, and starts its
	 * publishing thread.
	 * @param config the registry's settings
	 * @param client where metrics go; the caller keeps owning (and closes) it
	 */
	public HeareMeterRegistry(HeareConfig config, StatsClient client) {
		this(config, Clock.SYSTEM, client, HeareNameMapper.DEFAULT, DEFAULT_THREAD_FACTORY);
	}

	private HeareMeterRegistry(HeareConfig config, Clock clock, StatsClient client, HeareNameMapper nameMapper,
			ThreadFactory threadFactory) {
		super(config, clock);
		this.config = config;
		Objects.requireNonNull(client, "client must not be null");
		// A disabled registry keeps its meters' local statistics and sends nothing.
		this.client = config.enabled() ? client : StatsClient.noop();
		this.refused = new RefusedUpdates(this.client);
		this.nameMapper = Objects.requireNonNull(nameMapper, "nameMapper must not be null");
		config().namingConvention(new HeareNamingConvention());
		TagKeysFilter tagKeys = new TagKeysFilter(config.allowedTags(), config.deniedTags());
		if (!tagKeys.isEmpty()) {
			config().meterFilter(tagKeys);
		}
		this.capFilter = new MeterCapFilter(config.maxMeters(), config.propertyName("maxMeters"));
		config().meterFilter(this.capFilter);
		config().onMeterRemoved((meter) -> {
			this.capFilter.removed(meter.getId());
			this.polledMeters.remove(meter.getId());
			this.refusedPolledMeters.remove(meter.getId());
		});
		start(threadFactory);
	}

	/**
	 * A builder for a registry with a clock, a name mapper or a thread factory of its
	 * own.
	 * @param config the registry's settings
	 * @param client where metrics go; the caller keeps owning (and closes) it
	 * @return the builder
	 */
	public static Builder builder(HeareConfig config, StatsClient client) {
		return new Builder(config, client);
	}

	/**
	 * The flat name heare gets for a meter: the {@link HeareNameMapper} (by default
	 * Micrometer's hierarchical mapping: the name, then {@code .key.value} for each tag
	 * in key order) under this registry's naming convention (by default
	 * {@link HeareNamingConvention}), sanitized by the client's name rule
	 * ({@link MetricNames#sanitize(String)}). The client's prefix, if any, is joined in
	 * front when it is sent. Meters with more than one value (function timers, long task
	 * timers, custom meters) send each under the name of their id with a
	 * {@code statistic} tag, as Micrometer's hierarchical registries do.
	 * @param id a meter id, as the registry holds it (after its filters)
	 * @return the name, or {@code null} if nothing valid is left of it
	 */
	public @Nullable String heareName(Meter.Id id) {
		return MetricNames.sanitize(hierarchicalName(id));
	}

	// A custom mapper that fails must not reach the code asking for a meter: the default
	// mapping stands in.
	private String hierarchicalName(Meter.Id id) {
		NamingConvention convention = config().namingConvention();
		try {
			return this.nameMapper.toHierarchicalName(id, convention);
		}
		catch (RuntimeException ex) {
			nameMapperFailureLogger.log(
					() -> "The HeareNameMapper failed on meter '" + id.getName() + "'; the default mapping is used",
					ex);
			return HeareNameMapper.DEFAULT.toHierarchicalName(id, convention);
		}
	}

	/**
	 * How many meter ids were refused because the registry held
	 * {@link HeareConfig#maxMeters()} meters. A refused id is registered under its name
	 * with the one tag {@code heare.refused=true}, whose updates are not sent and are
	 * counted in {@link #refusedUpdates()}.
	 * @return the count since the registry was created
	 */
	public long deniedMeters() {
		return this.capFilter.refusedIds();
	}

	/**
	 * How many updates of refused meters (see {@link #deniedMeters()}) were dropped:
	 * every increment, recorded value and polled value. A client of the core's counts
	 * them in its telemetry too, as {@code NAME_LIMIT} drops, like names beyond its own
	 * cap.
	 * @return the count since the registry was created
	 */
	public long refusedUpdates() {
		return this.refused.count();
	}

	@Override
	protected void publish() {
		poll(this.polledMeters, this.client);
		poll(this.refusedPolledMeters, this.refused);
	}

	private void poll(Map<Meter.Id, PolledMeter> meters, StatsClient client) {
		if (meters.isEmpty()) {
			return;
		}
		try (Pipeline pipeline = client.pipeline()) {
			for (Map.Entry<Meter.Id, PolledMeter> entry : meters.entrySet()) {
				try {
					entry.getValue().poll(pipeline);
				}
				catch (RuntimeException ex) {
					pollFailureLogger.log(() -> "Failed to read meter '" + entry.getKey().getName() + "'", ex);
				}
			}
		}
	}

	@Override
	protected String startMessage() {
		return "sending Micrometer meters to heare through " + this.client + "; gauges and other polled meters every "
				+ this.config.step();
	}

	@Override
	protected Counter newCounter(Meter.Id id) {
		return new HeareCounter(id, clientFor(id), name(id));
	}

	@Override
	protected Timer newTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig,
			PauseDetector pauseDetector) {
		Timer timer = new HeareTimer(id, this.clock, distributionStatisticConfig, pauseDetector, clientFor(id),
				name(id));
		HistogramGauges.registerWithCommonFormat(timer, this);
		return timer;
	}

	@Override
	protected DistributionSummary newDistributionSummary(Meter.Id id,
			DistributionStatisticConfig distributionStatisticConfig, double scale) {
		DistributionSummary summary = new HeareDistributionSummary(id, this.clock, distributionStatisticConfig, scale,
				clientFor(id), name(id));
		HistogramGauges.registerWithCommonFormat(summary, this);
		return summary;
	}

	@Override
	protected <T> Gauge newGauge(Meter.Id id, @Nullable T obj, ToDoubleFunction<T> valueFunction) {
		return polled(id, new HeareGauge<>(id, obj, valueFunction, name(id)));
	}

	@Override
	protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
		return polled(id, new HeareFunctionCounter<>(id, obj, countFunction, name(id)));
	}

	@Override
	protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
			ToDoubleFunction<T> totalTimeFunction, TimeUnit totalTimeFunctionUnit) {
		return polled(id, new HeareFunctionTimer<>(id, obj, countFunction, totalTimeFunction, totalTimeFunctionUnit,
				name(id, Statistic.COUNT), name(id, Statistic.TOTAL_TIME)));
	}

	@Override
	protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig) {
		LongTaskTimer timer = polled(id, new HeareLongTaskTimer(id, this.clock, distributionStatisticConfig,
				name(id, Statistic.ACTIVE_TASKS), name(id, Statistic.DURATION), name(id, Statistic.MAX)));
		HistogramGauges.registerWithCommonFormat(timer, this);
		return timer;
	}

	@Override
	protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
		return polled(id, new HeareCustomMeter(id, type, measurements, (statistic) -> name(id, statistic)));
	}

	private <M extends PolledMeter> M polled(Meter.Id id, M meter) {
		(this.capFilter.reserve(id) ? this.polledMeters : this.refusedPolledMeters).put(id, meter);
		return meter;
	}

	// Micrometer creates a meter once per id, under its lock, and adds it: the slot is
	// taken here.
	private StatsClient clientFor(Meter.Id id) {
		return this.capFilter.reserve(id) ? this.client : this.refused;
	}

	private String name(Meter.Id id) {
		return heareName(id);
	}

	private String name(Meter.Id id, Statistic statistic) {
		return heareName(id.withTag(statistic));
	}

	@Override
	protected TimeUnit getBaseTimeUnit() {
		return TimeUnit.MILLISECONDS;
	}

	@Override
	protected DistributionStatisticConfig defaultHistogramConfig() {
		// Decaying statistics (max, client-side percentiles) cover one step, as in every
		// push registry.
		return DistributionStatisticConfig.builder()
			.expiry(this.config.step())
			.build()
			.merge(DistributionStatisticConfig.DEFAULT);
	}

	/**
	 * Builds a {@link HeareMeterRegistry}.
	 */
	public static final class Builder {

		private final HeareConfig config;

		private final StatsClient client;

		private Clock clock = Clock.SYSTEM;

		private HeareNameMapper nameMapper = HeareNameMapper.DEFAULT;

		private ThreadFactory threadFactory = DEFAULT_THREAD_FACTORY;

		private Builder(HeareConfig config, StatsClient client) {
			this.config = config;
			this.client = client;
		}

		/**
		 * The clock that timers and long task timers measure with.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * How meter names and tags become flat heare names.
		 * @param nameMapper the mapping
		 * @return this builder
		 */
		public Builder nameMapper(HeareNameMapper nameMapper) {
			this.nameMapper = nameMapper;
			return this;
		}

		/**
		 * Creates the thread that reads polled meters once per step.
		 * @param threadFactory the factory
		 * @return this builder
		 */
		public Builder threadFactory(ThreadFactory threadFactory) {
			this.threadFactory = threadFactory;
			return this;
		}

		/**
		 * Creates the registry and starts its publishing thread (unless
		 * {@link HeareConfig#enabled()} is false).
		 * @return the registry
		 */
		public HeareMeterRegistry build() {
			return new HeareMeterRegistry(this.config, this.clock, this.client, this.nameMapper, this.threadFactory);
		}

	}

}
