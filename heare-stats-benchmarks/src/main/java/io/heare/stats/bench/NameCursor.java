package io.heare.stats.bench;

import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread position in {@link Names#METRICS}. Each thread starts at a different offset
 * so that two threads touch the same names, but not in lock step.
 */
@State(Scope.Thread)
public class NameCursor {

	private static final AtomicInteger THREADS = new AtomicInteger();

	private final String[] names = Names.METRICS;

	private int index = (THREADS.getAndIncrement() * 37) % Names.COUNT;

	/** The next name. */
	public String next() {
		return this.names[nextIndex()];
	}

	/** The index of the next name. */
	public int nextIndex() {
		int i = this.index;
		this.index = (i + 1 == Names.COUNT) ? 0 : i + 1;
		return i;
	}

}
