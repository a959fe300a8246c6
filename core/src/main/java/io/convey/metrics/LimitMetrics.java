package io.convey.metrics;

import io.convey.engine.PoolView;
import io.convey.stats.StatsRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;

/**
 * Connection limits and the pools' queues (proxy mode), and slow start: queue length and peak, how waits ended,
 * connections a full frontend closed, each server's limit, slots in use and effective weight.
 */
final class LimitMetrics {
    private LimitMetrics() {}

    static void collect(Families f, StatsRegistry stats, List<String> frontends, List<PoolView> pools) {
        f.gauge("convey_pool_queue_length", "Connections waiting now in a pool's queue for a server below its"
                + " max_connections.", p -> pools.forEach(pool -> p.add(pool(pool), pool.queue().current())));
        f.gauge("convey_pool_queue_peak", "Longest the pool's queue has been since the appliance started.",
                p -> pools.forEach(pool -> p.add(pool(pool), pool.queue().peak())));
        f.gauge("convey_pool_queue_size", "queue_size: connections the pool's queue may hold (a full queue closes new"
                + " ones).", p -> pools.forEach(pool -> p.add(pool(pool), pool.config().traffic().queueSize())));
        f.counter("convey_pool_queued", "Connections that had to wait in the pool's queue.",
                p -> pools.forEach(pool -> p.add(pool(pool), pool.queue().queued())));
        f.counter("convey_pool_queue_served", "Queued connections given a server when a slot freed.",
                p -> pools.forEach(pool -> p.add(pool(pool), pool.queue().served())));
        f.counter("convey_pool_queue_timeouts", "Queued connections closed after queue_timeout_ms without a server.",
                p -> pools.forEach(pool -> p.add(pool(pool), pool.queue().timedOut())));
        f.counter("convey_pool_queue_full", "Connections closed at once because every server was full and so was the"
                + " queue.", p -> pools.forEach(pool -> p.add(pool(pool), pool.queue().full())));
        f.counter("convey_frontend_refused_full", "Connections a frontend closed at accept, being at its"
                + " max_connections.", p -> frontends.forEach(name -> p.add(Labels.of("frontend", name),
                        stats.frontendFull(name).sum())));
        f.gauge("convey_server_max_connections", "max_connections of a server, 0 for no limit.",
                p -> servers(pools, p, s -> s.limits().maxConnections()));
        f.gauge("convey_server_slots_in_use", "Connections sent to a server and not yet ended, connecting ones"
                + " included (what max_connections limits).", p -> servers(pools, p, s -> s.limits().slotsInUse()));
        f.gauge("convey_server_effective_weight", "The weight a server takes now: below its weight while slow start"
                + " ramps it up, 0 when it takes no new connections.", p -> servers(pools, p,
                        s -> s.eligible() ? s.limits().effectiveWeight() : 0));
    }

    private static Labels pool(PoolView pool) {
        return Labels.of("pool", pool.config().name());
    }

    private static void servers(List<PoolView> pools, Families.Points p,
            java.util.function.ToDoubleFunction<PoolView.ServerView> value) {
        for (PoolView pool : pools) {
            for (PoolView.ServerView s : pool.servers()) {
                p.add(Labels.of("pool", pool.config().name(), "server", s.name(), "addr", s.addr()),
                        value.applyAsDouble(s));
            }
        }
    }
}
