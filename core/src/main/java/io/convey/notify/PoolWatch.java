package io.convey.notify;

import io.convey.config.NotifyEvent;
import io.convey.engine.PoolView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Notices pools entering and leaving the state "no eligible server" (every new connection is turned away).
 * Called from the health checkers' threads and the engine's writer, hence synchronized.
 */
final class PoolWatch {
    private final Set<String> unavailable = new HashSet<>();
    private final List<Notifier.Pending> pending = new ArrayList<>();

    synchronized void check(List<PoolView> pools) {
        Set<String> names = new HashSet<>();
        for (PoolView pool : pools) {
            String name = pool.config().name();
            names.add(name);
            long eligible = pool.servers().stream().filter(PoolView.ServerView::eligible).count();
            long up = pool.servers().stream().filter(PoolView.ServerView::up).count();
            if (eligible == 0 && unavailable.add(name)) {
                pending.add(new Notifier.Pending(NotifyEvent.POOL_UNAVAILABLE, Instant.now(), Notifier.body(
                        "pool", name, "servers", pool.servers().size(), "servers_up", up, "reason",
                        up == 0 ? "every server is down" : "no server up is enabled with a weight above 0")));
            } else if (eligible > 0 && unavailable.remove(name)) {
                pending.add(new Notifier.Pending(NotifyEvent.POOL_AVAILABLE, Instant.now(), Notifier.body(
                        "pool", name, "servers", pool.servers().size(), "eligible_servers", eligible)));
            }
        }
        unavailable.retainAll(names);
    }

    synchronized List<Notifier.Pending> drain() {
        List<Notifier.Pending> out = List.copyOf(pending);
        pending.clear();
        return out;
    }
}
