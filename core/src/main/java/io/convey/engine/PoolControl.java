package io.convey.engine;

import io.convey.balance.PersistenceTable;
import io.convey.health.LiveFailures;
import io.convey.limits.ConnectionQueue;
import io.convey.limits.ServerSlots;
import io.convey.stats.QueueCounters;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A pool's traffic state that outlives its runtimes (rebuilt at every health change and slow-start step): the
 * connection slots in use per server, the queue of connections waiting for one, the persistence table and the
 * live failures per server.
 *
 * <p>Concurrency: new connections come from every event loop. When a server of the pool has a
 * {@code max_connections}, picking a server and taking its slot, queueing, and serving the queue all happen under
 * this object's lock, so a new connection never takes a slot while older ones wait (arrival order) and two loops
 * never both take a server's last slot. Slots are given back without the lock; a waiter is then served under it.
 * The section is short (a pick, no I/O); grants are delivered after it, by the waiters' own event loops.
 */
final class PoolControl {
    private final QueueCounters counters;
    private final Supplier<PoolRuntime> current;
    /** Guarded by {@code this}. */
    private final ConnectionQueue<Waiting> queue = new ConnectionQueue<>();
    private final Map<String, ServerSlots> slots = new ConcurrentHashMap<>();
    private final Map<String, LiveFailures> live = new ConcurrentHashMap<>();
    private final PersistenceTable persistence = new PersistenceTable(PersistenceTable.DEFAULT_CAPACITY);

    /** A connection waiting for a slot; identity matters (two waiters of one client are two entries). */
    static final class Waiting {
        final long flowKey;
        final Set<InetSocketAddress> tried;
        final BiConsumer<PoolRuntime, ServerRuntime> grant;

        Waiting(long flowKey, Set<InetSocketAddress> tried, BiConsumer<PoolRuntime, ServerRuntime> grant) {
            this.flowKey = flowKey;
            this.tried = tried;
            this.grant = grant;
        }
    }

    /** What became of a new connection. */
    sealed interface Outcome {}

    /** Send it to this server; its slot is taken. */
    record Picked(ServerRuntime server) implements Outcome {}

    /** It waits; {@link PoolControl#cancel} takes it out. */
    record Queued(Waiting waiting) implements Outcome {}

    /** Every eligible server is full and so is the queue. */
    record QueueFull() implements Outcome {}

    /** No eligible untried server at all. */
    record NoServer() implements Outcome {}

    private record Grant(Waiting waiting, PoolRuntime pool, ServerRuntime server) {}

    /** @param current the pool's runtime now, for serving the queue when a slot frees */
    PoolControl(QueueCounters counters, Supplier<PoolRuntime> current) {
        this.counters = counters;
        this.current = current;
    }

    PersistenceTable persistence() {
        return persistence;
    }

    ServerSlots slots(String server) {
        return slots.computeIfAbsent(server, s -> new ServerSlots());
    }

    /** Decides for a new connection; {@code grant} is called later (after the lock) if it had to wait. */
    Outcome admit(PoolRuntime pool, long flowKey, Set<InetSocketAddress> tried,
            BiConsumer<PoolRuntime, ServerRuntime> grant, long nowNanos) {
        if (!pool.limited() && queue.isEmpty()) {
            ServerRuntime server = pool.pick(flowKey, tried, i -> false, nowNanos);
            if (server == null) {
                return new NoServer();
            }
            slots(server.config().name()).take();
            return new Picked(server);
        }
        List<Grant> grants;
        Outcome outcome;
        synchronized (this) {
            if (queue.isEmpty()) {
                ServerRuntime server = pickFree(pool, flowKey, tried, nowNanos);
                if (server != null) {
                    slots(server.config().name()).take();
                    return new Picked(server);
                }
            }
            if (!pool.anyEligible(tried)) {
                return new NoServer();
            }
            Waiting waiting = new Waiting(flowKey, tried, grant);
            if (!queue.offer(waiting, pool.config().traffic().queueSize())) {
                counters.full();
                return new QueueFull();
            }
            counters.queued(queue.size());
            // A slot given back between the pick above and the offer saw an empty queue and served nobody.
            grants = serve(pool, nowNanos);
            outcome = new Queued(waiting);
        }
        deliver(grants);
        return outcome;
    }

    /** Takes a waiter out of the queue; false when it was already granted a slot (the grant then follows). */
    synchronized boolean cancel(Waiting waiting, boolean timedOut) {
        if (!queue.remove(waiting)) {
            return false;
        }
        if (timedOut) {
            counters.timedOut(queue.size());
        } else {
            counters.abandoned(queue.size());
        }
        return true;
    }

    /** Gives a server's slot back (any thread) and serves the oldest waiter if there is one. */
    void release(String server) {
        slots(server).give();
        if (!queue.isEmpty()) {
            serveQueue();
        }
    }

    /** Serves waiters while there are free slots: after a slot frees, and after every state change. */
    void serveQueue() {
        PoolRuntime pool = current.get();
        if (pool == null || queue.isEmpty()) {
            return;
        }
        List<Grant> grants;
        synchronized (this) {
            grants = serve(pool, System.nanoTime());
        }
        deliver(grants);
    }

    /** Under the lock. */
    private List<Grant> serve(PoolRuntime pool, long nowNanos) {
        List<Grant> grants = List.of();
        for (Waiting head = queue.peek(); head != null; head = queue.peek()) {
            ServerRuntime server = pickFree(pool, head.flowKey, head.tried, nowNanos);
            if (server == null) {
                break;
            }
            slots(server.config().name()).take();
            queue.poll();
            counters.served(queue.size());
            if (grants.isEmpty()) {
                grants = new ArrayList<>();
            }
            grants.add(new Grant(head, pool, server));
        }
        return grants;
    }

    private ServerRuntime pickFree(PoolRuntime pool, long flowKey, Set<InetSocketAddress> tried, long nowNanos) {
        List<ServerRuntime> servers = pool.servers();
        return pool.pick(flowKey, tried, i -> {
            ServerRuntime s = servers.get(i);
            return !slots(s.config().name()).free(s.config().maxConnections());
        }, nowNanos);
    }

    private static void deliver(List<Grant> grants) {
        for (Grant g : grants) {
            g.waiting().grant.accept(g.pool(), g.server());
        }
    }

    /**
     * Counts a failure of live traffic to {@code server}; true when the failures within {@code windowNanos} reach
     * {@code fall} (passive health: the server is to go down now).
     */
    boolean liveFailure(String server, long nowNanos, long windowNanos, int fall) {
        return live.computeIfAbsent(server, s -> new LiveFailures()).failed(nowNanos, windowNanos, fall);
    }

    /** Forgets the servers that left the pool (their slots are all given back by then, or soon, and ignored). */
    void retain(Set<String> servers) {
        slots.keySet().removeIf(s -> !servers.contains(s) && slots.get(s).inUse() <= 0);
        live.keySet().retainAll(servers);
    }
}
