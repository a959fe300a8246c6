package io.convey.limits;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The connections waiting for a free server slot in one pool, oldest first, with the peak length seen.
 * Removal of any waiter (its timeout, its client leaving) is O(1), so a long queue costs nothing per timeout.
 *
 * <p>Not thread-safe: its owner holds one lock around the queue and the slot decisions, which is what keeps
 * arrival order (a new connection never takes a slot while older ones wait).
 */
public final class ConnectionQueue<W> {
    private final LinkedHashSet<W> waiters = new LinkedHashSet<>();
    /** Read without the owner's lock by the releasing side, see {@link #isEmpty()}. */
    private volatile int size;
    private int peak;

    /** Appends {@code waiter} unless {@code capacity} waiters are already there. */
    public boolean offer(W waiter, int capacity) {
        if (waiters.size() >= capacity) {
            return false;
        }
        waiters.add(waiter);
        size = waiters.size();
        peak = Math.max(peak, size);
        return true;
    }

    /** The oldest waiter, or null. */
    public W peek() {
        Iterator<W> it = waiters.iterator();
        return it.hasNext() ? it.next() : null;
    }

    /** Removes and returns the oldest waiter, or null. */
    public W poll() {
        Iterator<W> it = waiters.iterator();
        if (!it.hasNext()) {
            return null;
        }
        W head = it.next();
        it.remove();
        size = waiters.size();
        return head;
    }

    /** Removes {@code waiter}; false when it is no longer waiting (served or removed before). */
    public boolean remove(W waiter) {
        boolean removed = waiters.remove(waiter);
        size = waiters.size();
        return removed;
    }

    /** Safe without the owner's lock: a volatile read of the length. */
    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public int peak() {
        return peak;
    }
}
