package io.heare.stats.micrometer;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Denies new meters once the registry holds {@link HeareConfig#maxMeters()}. It counts the
 * meters the registry actually added and removed (not the ids it was asked about), so a
 * meter that a later filter denies takes no room.
 */
final class MeterCapFilter implements MeterFilter {

	private static final Logger logger = LoggerFactory.getLogger(MeterCapFilter.class);

	private final int maxMeters;

	private final String property;

	private final AtomicInteger meters = new AtomicInteger();

	private final AtomicLong denied = new AtomicLong();

	private final AtomicBoolean logged = new AtomicBoolean();

	MeterCapFilter(int maxMeters, String property) {
		this.maxMeters = maxMeters;
		this.property = property;
	}

	@Override
	public MeterFilterReply accept(Meter.Id id) {
		if (this.meters.get() < this.maxMeters) {
			return MeterFilterReply.NEUTRAL;
		}
		this.denied.incrementAndGet();
		if (this.logged.compareAndSet(false, true)) {
			logger.warn("The heare meter registry holds {} meters, its limit: new meters such as '{}' are not "
					+ "sent to heare (and counted); raise {} or drop tags that make too many meters",
					this.maxMeters, id.getName(), this.property);
		}
		return MeterFilterReply.DENY;
	}

	void added() {
		this.meters.incrementAndGet();
	}

	void removed() {
		this.meters.decrementAndGet();
	}

	long denied() {
		return this.denied.get();
	}

}
