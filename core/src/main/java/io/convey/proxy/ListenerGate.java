package io.convey.proxy;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A TCP frontend's {@code max_connections}: its connections not yet done, and at the limit its listener paused
 * (AUTO_READ off), so that new clients wait in the kernel's backlog as behind HAProxy's frontend {@code maxconn};
 * it resumes when a connection ends.
 *
 * <p>The count is lock-free on every connection. Pausing (on the listener's loop) and resuming (on the loop of the
 * connection that ended), which happen only at the limit, hold the gate's lock, so they cannot interleave. A
 * connection that ends just before {@code paused} is set did not ask for a resume, hence the check after pausing
 * ({@code paused} is written before {@code open} is read there, and the other way round in {@link #ended}, so one
 * of the two sides sees the other).
 */
final class ListenerGate {
    private final IntSupplier limit;
    /** Connections admitted and not yet done; decremented on their own loops. */
    private final AtomicInteger open = new AtomicInteger();
    /** Paused on its own loop, resumed from the loops of the connections that end. */
    private final Channel listener;
    private volatile boolean paused;

    /** A listener's gate whose limit is read at each connection ({@code max_connections} changes live; 0 is none). */
    ListenerGate(Channel listener, IntSupplier limit) {
        this.listener = listener;
        this.limit = limit;
    }

    /**
     * Counts a connection the listener accepted: answers false when it is past the limit (then it is not counted,
     * and the caller closes it), and pauses the listener once the limit is reached.
     */
    boolean admit() {
        int max = limit.getAsInt();
        int now = open.incrementAndGet();
        if (max > 0 && now >= max) {
            pause();
        }
        if (max > 0 && now > max) {
            ended(); // may be the last one: a connection that ended meanwhile saw it counted and did not resume
            return false;
        }
        return true;
    }

    /** A connection admitted here is done; on any loop. */
    void ended() {
        open.decrementAndGet();
        if (paused) {
            resumeIfBelow();
        }
    }

    private synchronized void pause() {
        if (!paused) {
            paused = true;
            listener.config().setAutoRead(false);
        }
        resumeIfBelow();
    }

    private synchronized void resumeIfBelow() {
        int max = limit.getAsInt();
        if (paused && (max <= 0 || open.get() < max)) {
            paused = false;
            if (listener.isOpen()) {
                // from any loop: Netty hands the read that AUTO_READ starts to the listener's own loop
                listener.config().setAutoRead(true);
            }
        }
    }
}
