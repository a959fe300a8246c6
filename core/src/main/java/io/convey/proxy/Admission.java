package io.convey.proxy;

import java.time.Duration;
import java.util.Objects;

/** What the router decides for a new connection: a server now, a place in its pool's queue, or a refusal. */
public sealed interface Admission {

    /** Connect to this server; its slot is held until the attempt's channel closes. */
    record Serve(Upstream upstream) implements Admission {
        public Serve {
            Objects.requireNonNull(upstream, "upstream");
        }
    }

    /**
     * Wait: the router calls the {@link SlotWaiter} once a slot frees (on any thread), unless {@code ticket} is
     * cancelled first. The connection gives up after {@code timeout}.
     */
    record Wait(Duration timeout, Ticket ticket) implements Admission {
        public Wait {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(ticket, "ticket");
        }
    }

    /** Close the connection. */
    record Refuse(Refusal reason) implements Admission {
        public Refuse {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A place in a queue. */
    @FunctionalInterface
    interface Ticket {
        /**
         * Leaves the queue ({@code timedOut}: the wait was too long, else the client left). False when a slot was
         * already granted: the {@link SlotWaiter} is then called (or has been), and the waiter must give the slot
         * back by ending its attempt.
         */
        boolean cancel(boolean timedOut);
    }
}
