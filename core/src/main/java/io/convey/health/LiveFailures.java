package io.convey.health;

import java.util.ArrayDeque;

/**
 * Failures of live traffic to one server (connects that failed, resets), within a sliding window: passive health,
 * as NGINX's {@code max_fails} within {@code fail_timeout}. When the count in the window reaches the pool's
 * {@code fall}, the server is to be taken down at once, without waiting for the next active check.
 *
 * <p>Called on event loops, only when a connection fails: a short synchronized section, no I/O. Pure: the time is
 * passed in.
 */
public final class LiveFailures {
    private final ArrayDeque<Long> failures = new ArrayDeque<>();

    /**
     * Records one failure at {@code nowNanos}; true (once, the window then starts afresh) when the failures within
     * {@code windowNanos} reach {@code fall}.
     */
    public synchronized boolean failed(long nowNanos, long windowNanos, int fall) {
        failures.addLast(nowNanos);
        while (!failures.isEmpty() && nowNanos - failures.peekFirst() > windowNanos) {
            failures.removeFirst();
        }
        while (failures.size() > fall) {
            failures.removeFirst();
        }
        if (failures.size() >= fall) {
            failures.clear();
            return true;
        }
        return false;
    }

    /** Forgets the failures seen so far (the server went down or came back). */
    public synchronized void clear() {
        failures.clear();
    }
}
