package io.convey.accesslog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A bounded ring from one producer thread (an event loop or a packet worker) to the access-log writer.
 *
 * <p>Each producer has its own, so that handing an entry over writes only cache lines the producer owns: the slot
 * and its tail index (a release store). One queue shared by every producer, bounded by a counter, made each entry two
 * atomic read-modify-writes on lines that the other producers and the writer wrote too, and the more often the
 * writer takes entries the more they contend: with the writer's 5 ms park, passthrough's new-connection rate with
 * the access log on was 0.96 of its rate without traffic control through the shared queue, 0.99 to 1.00 through
 * these rings (bench/packet close_tc, docs/benchmarks.md). The writer reads the tail and publishes its head once per
 * batch. JCTools' {@code SpscArrayQueue} is this ring, but reaches for {@code sun.misc.Unsafe}, which JDK 25 warns
 * about on the daemon's standard error; hence these few lines on {@link VarHandle}s.
 */
final class Lane {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(Lane.class, "head", long.class);
            TAIL = lookup.findVarHandle(Lane.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The producer; its lane is dropped once it has ended and the writer has emptied the lane. */
    final Thread owner;
    private final Object[] slots;
    private final int mask;
    /** Next slot the writer takes; written by the writer (release), read by the producer when it looks full. */
    @SuppressWarnings("unused") // through HEAD
    private long head;
    /** Next slot the producer fills; written by the producer (release), read by the writer once per batch. */
    @SuppressWarnings("unused") // through TAIL
    private long tail;
    /** The producer's last look at {@link #head}: it reads the writer's line only when the ring seems full. */
    private long headSeen;

    /** A lane of {@code capacity} slots (a power of two) for {@code owner}. */
    Lane(Thread owner, int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: a power of two)");
        }
        this.owner = owner;
        this.slots = new Object[capacity];
        this.mask = capacity - 1;
    }

    /** Producer only: adds {@code item}, or returns false if the ring is full. */
    boolean offer(Object item) {
        long t = (long) TAIL.get(this);
        if (t - headSeen == slots.length) {
            headSeen = (long) HEAD.getAcquire(this);
            if (t - headSeen == slots.length) {
                return false;
            }
        }
        slots[(int) t & mask] = item;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Writer only: moves up to {@code max} items into {@code into}, oldest first; how many. */
    int drain(List<Object> into, int max) {
        long h = (long) HEAD.get(this);
        long available = (long) TAIL.getAcquire(this) - h;
        int n = (int) Math.min(available, max);
        for (int i = 0; i < n; i++) {
            int slot = (int) (h + i) & mask;
            into.add(slots[slot]);
            slots[slot] = null;
        }
        if (n > 0) {
            HEAD.setRelease(this, h + n);
        }
        return n;
    }

    /** Items waiting (a moment's view, from any thread). */
    int size() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }
}
