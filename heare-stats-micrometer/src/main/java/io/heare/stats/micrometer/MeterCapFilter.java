package io.heare.stats.micrometer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry at {@link HeareConfig#maxMeters()} meters that send. Once it is
 * full, a new id is mapped to a refused id: its name with the one tag
 * {@value #REFUSED_TAG}, so that the meters refused stay as few as their names, while
 * their updates still reach a meter, which counts each as dropped
 * ({@link RefusedUpdates}) rather than a Micrometer no-op meter, which would lose it
 * uncounted. A slot is taken when the registry creates a meter
 * ({@link #reserve(Meter.Id)}), so concurrent registrations cannot overshoot the cap, and
 * given back when that meter is removed; a meter that a later filter denies takes none.
 */
final class MeterCapFilter implements MeterFilter {

	static final String REFUSED_TAG = "heare.refused";

	private static final Logger logger = LoggerFactory.getLogger(MeterCapFilter.class);

	private final int maxMeters;

	private final String property;

	private final AtomicInteger meters = new AtomicInteger();

	private final Set<Meter.Id> slotHolders = ConcurrentHashMap.newKeySet();

	private final AtomicLong refusedIds = new AtomicLong();

	private final AtomicBoolean logged = new AtomicBoolean();

	MeterCapFilter(int maxMeters, String property) {
		this.maxMeters = maxMeters;
		this.property = property;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		if (isRefused(id) || this.meters.get() < this.maxMeters) {
			return id;
		}
		refused(id);
		return id.replaceTags(Tags.of(REFUSED_TAG, "true"));
	}

	static boolean isRefused(Meter.Id id) {
		return "true".equals(id.getTag(REFUSED_TAG));
	}

	/**
	 * Takes a slot for a meter the registry is creating.
	 * @return whether it may send; {@code false} for a refused id or when the cap is
	 * reached
	 */
	boolean reserve(Meter.Id id) {
		if (isRefused(id)) {
			return false;
		}
		if (this.meters.incrementAndGet() > this.maxMeters) {
			this.meters.decrementAndGet();
			refused(id);
			return false;
		}
		this.slotHolders.add(id);
		return true;
	}

	/** Gives back the slot of a removed meter, if it held one. */
	void removed(Meter.Id id) {
		if (this.slotHolders.remove(id)) {
			this.meters.decrementAndGet();
		}
	}

	private void refused(Meter.Id id) {
		this.refusedIds.incrementAndGet();
		if (this.logged.compareAndSet(false, true)) {
			logger.warn("The heare meter registry holds {} meters, its limit: new meters such as '{}' are not "
					+ "sent to heare, and their updates are counted as dropped; raise {} or drop tags that make "
					+ "too many meters", this.maxMeters, id.getName(), this.property);
		}
	}

	long refusedIds() {
		return this.refusedIds.get();
	}

}
