package io.convey.proxy;

/** A queued connection, told when a server slot is granted to it. */
@FunctionalInterface
public interface SlotWaiter {
    /** Called once, on any thread, with the slot held for this waiter; must not block. */
    void granted(Upstream upstream);
}
