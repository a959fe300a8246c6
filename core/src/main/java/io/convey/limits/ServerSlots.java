package io.convey.limits;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection slots in use on one server: taken when a connection is sent there (before its connect) and given
 * back when that attempt ends, so connections still connecting count against {@code max_connections} too.
 * Thread-safe; the queue's owner takes slots under its lock, any event loop gives them back.
 */
public final class ServerSlots {
    private final AtomicInteger inUse = new AtomicInteger();

    /** Whether a connection may be sent here now under {@code max} (0 = no limit). */
    public boolean free(int max) {
        return max <= 0 || inUse.get() < max;
    }

    public void take() {
        inUse.incrementAndGet();
    }

    public void give() {
        inUse.decrementAndGet();
    }

    public int inUse() {
        return inUse.get();
    }
}
