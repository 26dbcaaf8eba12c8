package io.heare.stats.collector;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Adds a point to the {@link MetricHistory} every interval, on its own thread.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class HistorySampler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(HistorySampler.class);

	private final MetricHistory history;

	private final MetricStore store;

	private final Duration interval;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Creates a new instance.
	 * @param history where points go
	 * @param store what is sampled
	 * @param interval time between two samples
	 */
	public HistorySampler(MetricHistory history, MetricStore store, Duration interval) {
		this.history = history;
		this.store = store;
		this.interval = interval;
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "history-sampler");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		executor.scheduleAtFixedRate(this::sample, millis, millis, TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	private void sample() {
		try {
			this.history.sample(this.store, System.currentTimeMillis());
		}
		catch (Throwable ex) {
			// A task that throws is never run again; the next sample may well succeed.
			logger.warn("Sampling the metric history failed", ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null) {
			executor.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
