package io.heare.stats.client;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Timer and histogram values on their way to the sender, in rings that each have one
 * writing thread. A shared per-name chunk needs an atomic increment per value, and at two
 * threads the cache line holding it moves between cores on nearly every value; a ring
 * that only its owner writes needs two plain stores and a release store, and its lines
 * stay in the owner's cache until the sender comes by.
 * <p>
 * Lanes are found by thread id (no {@code ThreadLocal} lookup, no per-thread allocation
 * for short-lived or virtual threads). The first thread to record on a lane owns it until
 * it dies, and the next thread to find it dead takes it over; a thread whose lane is held
 * by another live thread gets {@code false} from {@link #offer} and uses the shared
 * {@link ValueCell}, which is slower but loses nothing. Virtual threads first try one of
 * the first {@link #VIRTUAL_LANES} lanes: with a thread per request, ids grow with every
 * request, and a lane found by id alone would be used once every {@link #LANES} requests,
 * cold in the cache each time. A ring that fills before the sender empties it is replaced
 * by one twice its size while the client's value budget allows, and values beyond that
 * are dropped and counted, so memory stays bounded when the service is slow or down.
 * Until the sender next drains such a ring, {@link #saturated} tells its owner so before
 * it even looks up a name. A lane whose owner has died keeps its ring for the next owner
 * until the lane has been quiet for a while, then gives a large one back.
 */
final class ValueLanes {

	static final int MIN_CAPACITY = 256;

	static final int MAX_CAPACITY = 1 << 16;

	private static final int SEGMENT_SHIFT = 10;

	// A power of two, at least eight per processor and at least 256, so that the threads
	// of a web server's pool (200 by default in Tomcat, each of which ends up serving
	// requests) find a lane rather than recording through the shared cells. A slot costs
	// nothing until a thread records, then about 4 KB; the sender reads every slot twice
	// per drain.
	static final int LANES = Math.min(1024,
			Math.max(256, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 16 - 1)));

	// The lanes virtual threads try first: eight per processor and at least 16, a power
	// of two. Threads that follow one another take them over from their ended
	// predecessors while they are still cached; a virtual thread whose near lane a live
	// thread holds uses its lane by id.
	static final int VIRTUAL_LANES = Math.min(LANES,
			Math.max(16, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 8 - 1) * 2));

	private static final VarHandle LANE = MethodHandles.arrayElementVarHandle(Lane[].class);

	// Thread.isVirtual() where the runtime has it (Java 21); a constant false before.
	private static final MethodHandle IS_VIRTUAL = isVirtualMethod();

	private static final VarHandle DRAINS;

	static {
		try {
			DRAINS = MethodHandles.lookup().findVarHandle(ValueLanes.class, "drains", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// A plain array written through LANE: one hop fewer than an AtomicReferenceArray.
	private final Lane[] lanes = new Lane[LANES];

	private final ValueBudget budget;

	// Drains so far, written by the sender after each: a saturated lane's owner rereads
	// its ring only when this moved, which keeps two dependent loads off its path.
	private volatile long drains;

	// Cells by id, in segments that never move once created, so that the sender can read
	// them without a lock. Written under this object's lock; an entry is visible to the
	// sender because it was written before the cell was published to the recording
	// threads.
	private ValueCell[][] cellsById = new ValueCell[16][];

	private int cellCount;

	// Sender-only scratch for grouping drained values by cell, bounded by the pending
	// cap.
	private int[] drainedIds = new int[0];

	private double[] drainedValues = new double[0];

	private double[] grouped = new double[0];

	private int[] countById = new int[0];

	private int[] offsetById = new int[0];

	private final IntList touched = new IntList();

	// Values the lanes skipped unread in the current drain (sender only): a field rather
	// than a result object per lane and drain.
	private long skipped;

	/**
	 * @param budget values that rings larger than the minimum may hold, shared with the
	 * client's cells
	 */
	ValueLanes(ValueBudget budget) {
		this.budget = budget;
	}

	/**
	 * Gives {@code cell} the id lanes store in its place. Call before the cell is
	 * published.
	 */
	synchronized void register(ValueCell cell) {
		int id = this.cellCount;
		int segment = id >>> SEGMENT_SHIFT;
		if (segment == this.cellsById.length) {
			this.cellsById = Arrays.copyOf(this.cellsById, segment * 2);
		}
		if (this.cellsById[segment] == null) {
			this.cellsById[segment] = new ValueCell[1 << SEGMENT_SHIFT];
		}
		this.cellsById[segment][id & ((1 << SEGMENT_SHIFT) - 1)] = cell;
		cell.id = id;
		this.cellCount = id + 1;
	}

	private synchronized int cellCount() {
		return this.cellCount;
	}

	/** The drains so far. Tests only. */
	long drains() {
		return this.drains;
	}

	ValueCell cell(int id) {
		return this.cellsById[id >>> SEGMENT_SHIFT][id & ((1 << SEGMENT_SHIFT) - 1)];
	}

	/**
	 * Appends {@code value} for {@code cell} to the calling thread's lane.
	 * @return {@code true} when the lane took the value or counted it as dropped;
	 * {@code false} when this thread has no lane and the caller should use the cell
	 */
	boolean offer(ValueCell cell, double value) {
		Lane lane = laneOf(Thread.currentThread());
		if (lane == null) {
			return false;
		}
		lane.offer(cell.id, value);
		return true;
	}

	/**
	 * The lane {@code thread} owns, claimed now if it is free.
	 * @return the lane, or {@code null} when another live thread holds it
	 */
	Lane laneOf(Thread thread) {
		return laneOf(thread, isVirtual(thread));
	}

	// The same, with whether the thread is virtual given: tests run on runtimes without
	// virtual threads.
	Lane laneOf(Thread thread, boolean virtual) {
		int index = laneIndex(thread);
		if (virtual) {
			Lane near = laneAt(index & (VIRTUAL_LANES - 1), thread);
			if (near != null) {
				return near;
			}
		}
		return laneAt(index, thread);
	}

	// The lane at index if thread owns it or can claim it now, else null.
	private Lane laneAt(int index, Thread thread) {
		Lane lane = (Lane) LANE.getAcquire(this.lanes, index);
		if (lane != null && lane.owner == thread) {
			return lane;
		}
		return claim(index, lane, thread);
	}

	/**
	 * Whether the next value {@code lane}'s owner records would be dropped because its
	 * ring is still full and cannot grow. While it is, callers count their value with
	 * {@link Lane#drop()} without looking up its cell: the cheapest way to lose a value
	 * is the one that counts when the service is slow or down and threads record faster
	 * than the sender drains. Owner only.
	 */
	boolean saturated(Lane lane) {
		if (!lane.saturated) {
			return false;
		}
		long drains = this.drains;
		if (lane.saturatedAt == drains) {
			return true;
		}
		Ring ring = lane.ring;
		ring.headSeen = (long) Ring.HEAD.getAcquire(ring);
		lane.saturatedAt = drains;
		lane.saturated = ring.tail - ring.headSeen >= ring.capacity;
		return lane.saturated;
	}

	@SuppressWarnings("deprecation") // Thread.threadId() needs Java 19.
	private static int laneIndex(Thread thread) {
		return (int) thread.getId() & (LANES - 1);
	}

	private static MethodHandle isVirtualMethod() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			return MethodHandles.dropArguments(MethodHandles.constant(boolean.class, false), 0, Thread.class);
		}
	}

	static boolean isVirtual(Thread thread) {
		try {
			return (boolean) IS_VIRTUAL.invokeExact(thread);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Lane claim(int index, Lane lane, Thread thread) {
		if (lane == null) {
			Lane created = new Lane(thread, this.budget);
			if (LANE.compareAndSet(this.lanes, index, null, created)) {
				return created;
			}
			lane = (Lane) LANE.getAcquire(this.lanes, index);
		}
		return lane.claim(thread) ? lane : null;
	}

	/**
	 * Takes what every lane holds and hands it to {@code consumer} grouped by cell. At
	 * most {@code maxValues} values are read; the rest are skipped unread. Lanes whose
	 * owner has died are emptied and freed for another thread, with a large ring given
	 * back once they have been quiet for a while. Sender thread only.
	 * @return what was taken and what was dropped
	 */
	Drained drain(int maxValues, GroupConsumer consumer) {
		// When there is more than room for, every lane gives up the same fraction of what
		// it holds, so that no thread's values (and no metric recorded by certain
		// threads) are dropped wholesale because its lane happens to be read last.
		long available = 0;
		for (int i = 0; i < LANES; i++) {
			Lane lane = (Lane) LANE.getAcquire(this.lanes, i);
			if (lane != null) {
				available += lane.available();
			}
		}
		double share = (available > maxValues) ? (double) maxValues / available : 1d;
		int taken = 0;
		this.skipped = 0;
		long dropped = 0;
		for (int i = 0; i < LANES; i++) {
			Lane lane = (Lane) LANE.getAcquire(this.lanes, i);
			if (lane == null) {
				continue;
			}
			Thread owner = lane.owner;
			boolean ownerGone = Lane.free(owner);
			// After isAlive() says false, everything the owner wrote is visible.
			int room = maxValues - taken;
			int limit = (share < 1d) ? (int) Math.min(room, (long) (lane.available() * share)) : room;
			taken = lane.drain(this, taken, limit);
			dropped += lane.takeDropped();
			if (ownerGone) {
				lane.release(owner);
			}
		}
		group(taken, consumer);
		DRAINS.setRelease(this, this.drains + 1);
		return new Drained(taken, this.skipped, dropped);
	}

	// An entry over the cap, taken unread. A group's entry still counts in its counters,
	// and as skipped once per value it holds.
	void skip(int id) {
		ValueGroup group = cell(id).group;
		if (group == null) {
			this.skipped++;
			return;
		}
		this.skipped += group.values.length;
		for (CounterCell counter : group.counters) {
			counter.ones.increment();
		}
	}

	void add(int position, int id, double value) {
		if (position == this.drainedIds.length) {
			int capacity = Math.max(1024, position * 2);
			this.drainedIds = Arrays.copyOf(this.drainedIds, capacity);
			this.drainedValues = Arrays.copyOf(this.drainedValues, capacity);
		}
		this.drainedIds[position] = id;
		this.drainedValues[position] = value;
	}

	// A counting sort: one pass to count per cell, one to place, so grouping allocates
	// nothing once the scratch arrays have grown. Counts are kept by cell id in arrays of
	// the sender's own: writing them into the cells would dirty cache lines the recording
	// threads read.
	private void group(int count, GroupConsumer consumer) {
		if (count == 0) {
			return;
		}
		if (this.grouped.length < count) {
			this.grouped = new double[this.drainedValues.length];
		}
		int cellCount = cellCount();
		if (this.countById.length < cellCount) {
			this.countById = new int[Math.max(cellCount, this.countById.length * 2)];
			this.offsetById = new int[this.countById.length];
		}
		int[] ids = this.drainedIds;
		for (int i = 0; i < count; i++) {
			if (this.countById[ids[i]]++ == 0) {
				this.touched.add(ids[i]);
			}
		}
		int offset = 0;
		for (int t = 0; t < this.touched.size(); t++) {
			int id = this.touched.get(t);
			this.offsetById[id] = offset;
			offset += this.countById[id];
			this.countById[id] = 0;
		}
		for (int i = 0; i < count; i++) {
			int id = ids[i];
			this.grouped[this.offsetById[id] + this.countById[id]++] = this.drainedValues[i];
		}
		for (int t = 0; t < this.touched.size(); t++) {
			int id = this.touched.get(t);
			consumer.accept(cell(id), this.grouped, this.offsetById[id], this.countById[id]);
			this.countById[id] = 0;
		}
		this.touched.clear();
	}

	/** Values of one cell, {@code values[from, from + count)}. */
	@FunctionalInterface
	interface GroupConsumer {

		void accept(ValueCell cell, double[] values, int from, int count);

	}

	/**
	 * @param taken values read and handed on
	 * @param skipped values over the cap, removed unread
	 * @param dropped values a full ring could not take
	 */
	record Drained(int taken, long skipped, long dropped) {
	}

	/** A growable list of ints for the sender's bookkeeping. */
	private static final class IntList {

		private int[] items = new int[64];

		private int size;

		void add(int item) {
			if (this.size == this.items.length) {
				this.items = Arrays.copyOf(this.items, this.size * 2);
			}
			this.items[this.size++] = item;
		}

		int get(int index) {
			return this.items[index];
		}

		int size() {
			return this.size;
		}

		void clear() {
			this.size = 0;
		}

	}

	/**
	 * 128 bytes, more than a cache line and its prefetched neighbour. Lanes and rings are
	 * allocated by different threads but a collection can move them next to each other,
	 * and two threads writing fields of adjacent objects would share a cache line again.
	 * Superclass fields are laid out before subclass fields, so padding goes in a
	 * superclass.
	 */
	abstract static class Padding {

		long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

	}

	/** The owner's fields of a {@link Lane}, between paddings. */
	abstract static class LaneOwnerFields extends Padding {

		volatile Thread owner;

		// The owner's ring. Plain: a new owner reads it after claiming the lane, which
		// happens after the old owner died or after the sender freed it.
		Ring ring;

		// Written through Lane.DROPPED by the owner, read by the sender.
		long dropped;

		// The owner found its ring full and unable to grow, and has not seen the sender
		// take from it since; the drain count it last looked at.
		boolean saturated;

		long saturatedAt;

	}

	abstract static class LanePadding extends LaneOwnerFields {

		long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

	}

	/**
	 * One thread's ring, and the chain of rings it has outgrown that the sender has not
	 * finished.
	 */
	static final class Lane extends LanePadding {

		private static final VarHandle OWNER;

		private static final VarHandle NEWEST;

		private static final VarHandle DROPPED;

		static {
			try {
				MethodHandles.Lookup lookup = MethodHandles.lookup();
				OWNER = lookup.findVarHandle(LaneOwnerFields.class, "owner", Thread.class);
				NEWEST = lookup.findVarHandle(Lane.class, "newest", Ring.class);
				DROPPED = lookup.findVarHandle(LaneOwnerFields.class, "dropped", long.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		// Checked by the owner once per this many appends (and whenever its ring is
		// full).
		private static final int HINT_INTERVAL_MASK = 1023;

		// Drains in a row that used under an eighth of a large ring before the owner is
		// asked to move to a smaller one and give the budget back.
		static final int QUIET_DRAINS = 8;

		private final ValueBudget budget;

		// The owner's ring as the sender sees it: published after the old ring's last
		// value.
		@SuppressWarnings("unused") // Accessed through NEWEST.
		private volatile Ring newest;

		private volatile boolean shrink;

		// Sender only.
		private Ring reading;

		private long droppedSeen;

		private int quietDrains;

		Lane(Thread owner, ValueBudget budget) {
			this.budget = budget;
			this.ring = new Ring(MIN_CAPACITY);
			this.reading = this.ring;
			this.newest = this.ring;
			this.owner = owner;
		}

		// A lane whose owner has died is taken over at once rather than after the next
		// drain frees it: a virtual thread per request dies before the sender comes by,
		// and its successors would otherwise record through the shared cells. The new
		// owner forgets that its predecessor found the ring full: the sender may have
		// emptied it in a drain it has not counted yet, and until it does, a saturated
		// lane would drop every value.
		boolean claim(Thread thread) {
			Thread owner = this.owner;
			if (free(owner) && OWNER.compareAndSet(this, owner, thread)) {
				this.saturated = false;
				return true;
			}
			return false;
		}

		// Whether a lane with this owner may be taken: it has none, or it has ended.
		static boolean free(Thread owner) {
			return owner == null || !owner.isAlive();
		}

		/** Counts a value as dropped for want of room. Owner only. */
		void drop() {
			DROPPED.setOpaque(this, this.dropped + 1);
		}

		// Owner only.
		void offer(int id, double value) {
			if (!tryOffer(id, value)) {
				drop();
			}
		}

		/**
		 * Appends the value unless the ring is full and cannot grow; then the lane is
		 * marked saturated and nothing is counted. Owner only.
		 * @return whether the value was appended
		 */
		boolean tryOffer(int id, double value) {
			Ring ring = this.ring;
			long tail = ring.tail;
			if (tail - ring.headSeen >= ring.capacity || (tail & HINT_INTERVAL_MASK) == 0) {
				ring = room(ring, tail);
				if (ring == null) {
					// Checked again against the ring once the sender has drained.
					this.saturated = true;
					this.saturatedAt = -1;
					return false;
				}
				tail = ring.tail;
			}
			int slot = ((int) tail & ring.mask) * 2;
			ring.entries[slot] = id;
			ring.entries[slot + 1] = Double.doubleToRawLongBits(value);
			Ring.TAIL.setRelease(ring, tail + 1);
			return true;
		}

		// The ring to write the next value to, or null when it is full and cannot grow.
		private Ring room(Ring ring, long tail) {
			ring.headSeen = (long) Ring.HEAD.getAcquire(ring);
			if (this.shrink) {
				this.shrink = false;
				int smaller = Math.max(MIN_CAPACITY, ring.capacity / 4);
				if (smaller < ring.capacity && take(smaller)) {
					return link(ring, new Ring(smaller));
				}
			}
			if (tail - ring.headSeen < ring.capacity) {
				return ring;
			}
			int larger = ring.capacity * 2;
			if (larger > MAX_CAPACITY || !take(larger)) {
				return null;
			}
			return link(ring, new Ring(larger));
		}

		private Ring link(Ring full, Ring next) {
			full.next = next;
			this.ring = next;
			NEWEST.setRelease(this, next);
			return next;
		}

		// The first ring of every lane is outside the budget, so that each thread can
		// always hold a few values.
		private boolean take(int capacity) {
			return capacity <= MIN_CAPACITY || this.budget.take(capacity);
		}

		private void give(int capacity) {
			if (capacity > MIN_CAPACITY) {
				this.budget.give(capacity);
			}
		}

		/** Values the owner has published and the sender has not taken. Sender only. */
		long available() {
			Ring newest = (Ring) NEWEST.getAcquire(this);
			long available = 0;
			for (Ring ring = this.reading;; ring = ring.next) {
				available += (long) Ring.TAIL.getAcquire(ring) - ring.head;
				if (ring == newest) {
					return available;
				}
			}
		}

		/**
		 * Reads up to {@code limit} of the values the owner published into {@code into},
		 * from position {@code position}, and skips the rest (adding them to
		 * {@code into}'s skipped count). Sender only.
		 * @return the position after the last value read
		 */
		int drain(ValueLanes into, int position, int limit) {
			Ring newest = (Ring) NEWEST.getAcquire(this);
			Ring ring = this.reading;
			int used = 0;
			int left = limit;
			while (true) {
				long tail = (long) Ring.TAIL.getAcquire(ring);
				long head = ring.head;
				int readable = (int) Math.min(tail - head, left);
				left -= readable;
				long[] entries = ring.entries;
				for (long i = head; i < head + readable; i++) {
					int slot = ((int) i & ring.mask) * 2;
					into.add(position++, (int) entries[slot], Double.longBitsToDouble(entries[slot + 1]));
				}
				for (long i = head + readable; i < tail; i++) {
					into.skip((int) entries[((int) i & ring.mask) * 2]);
				}
				Ring.HEAD.setRelease(ring, tail);
				if (ring == newest) {
					used = (int) (tail - head);
					break;
				}
				// The owner moved on after its last write to this ring, so its tail was
				// final.
				Ring next = ring.next;
				ring.next = null;
				give(ring.capacity);
				ring = next;
			}
			this.reading = ring;
			if (ring.capacity > MIN_CAPACITY && used < ring.capacity / 8) {
				if (++this.quietDrains >= QUIET_DRAINS) {
					this.quietDrains = 0;
					this.shrink = true;
				}
			}
			else {
				this.quietDrains = 0;
			}
			return position;
		}

		long takeDropped() {
			long dropped = (long) DROPPED.getOpaque(this);
			long delta = dropped - this.droppedSeen;
			this.droppedSeen = dropped;
			return delta;
		}

		// Sender only, after a drain that found the lane without a live owner: lets go of
		// a dead owner and, once the lane has been quiet for as long as a live owner's
		// would be before it is asked to shrink, gives back a large ring, unless a thread
		// has taken the lane over since. Until then the ring waits for the next owner:
		// with a virtual thread per request that comes within microseconds, and would
		// otherwise grow a fresh ring again whenever traffic resumes. The sender holds
		// the lane while it resets the owner's fields, and allocates before it takes the
		// lane, so that it always lets go of it again.
		void release(Thread gone) {
			Ring fresh = this.shrink ? new Ring(MIN_CAPACITY) : null;
			if (gone == null && fresh == null) {
				return;
			}
			if (!OWNER.compareAndSet(this, gone, Thread.currentThread())) {
				return;
			}
			if (fresh != null) {
				give(this.reading.capacity);
				this.ring = fresh;
				this.reading = fresh;
				NEWEST.setRelease(this, fresh);
				this.shrink = false;
				this.quietDrains = 0;
			}
			OWNER.setVolatile(this, null);
		}

	}

	/** The owner's fields of a {@link Ring}, after a padding. */
	abstract static class RingOwnerFields extends Padding {

		final int capacity;

		final int mask;

		// Entry i is a cell id at 2i and a value's bits at 2i + 1: one array, so that an
		// entry is one cache line to write, not one in an id array and one in a value
		// array. Cells by id rather than by reference: storing a reference into an array
		// that lives in the old generation costs a garbage-collector barrier with a
		// memory fence on every value.
		final long[] entries;

		// Written by the owner (release), read by the sender (acquire).
		long tail;

		// The owner's last look at head, so that it reads the sender's field only when it
		// seems full.
		long headSeen;

		RingOwnerFields(int capacity) {
			this.capacity = capacity;
			this.mask = capacity - 1;
			this.entries = new long[capacity * 2];
		}

	}

	abstract static class RingPadding extends RingOwnerFields {

		long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

		RingPadding(int capacity) {
			super(capacity);
		}

	}

	/** A single-producer, single-consumer ring of (cell, value) entries. */
	static final class Ring extends RingPadding {

		static final VarHandle TAIL;

		static final VarHandle HEAD;

		static {
			try {
				MethodHandles.Lookup lookup = MethodHandles.lookup();
				TAIL = lookup.findVarHandle(RingOwnerFields.class, "tail", long.class);
				HEAD = lookup.findVarHandle(Ring.class, "head", long.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		// Written by the sender (release), read by the owner (acquire).
		long head;

		// Set by the owner before it publishes the ring that replaces this one.
		Ring next;

		Ring(int capacity) {
			super(capacity);
		}

	}

}
