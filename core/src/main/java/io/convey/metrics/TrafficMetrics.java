package io.convey.metrics;

import io.convey.engine.PoolView;
import io.convey.stats.StatsRegistry;
import io.convey.stats.TrafficCounters;
import io.convey.stats.UpstreamCounters;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Connections and bytes of the appliance, its frontends, pools and servers; per server its weight, state and
 * connect outcomes. A server removed from the configuration leaves its totals in its pool's
 * {@code server="(removed)"} series, so that summing a pool's servers gives the pool's totals.
 */
final class TrafficMetrics {
    /** The {@code server} label of a pool's folded counters of removed servers. */
    static final String REMOVED = "(removed)";
    static final String TX_HELP = "bytes_tx: bytes received from clients and sent on to servers (client to server)";
    static final String RX_HELP = "bytes_rx: bytes received from servers and sent back to clients (server to client)";

    private TrafficMetrics() {}

    /** A row of the per-server families: its labels and counters, from the running pools or the removed folds. */
    private record ServerRow(Labels labels, TrafficCounters.Snapshot traffic, UpstreamCounters.Snapshot upstream) {}

    static void collect(Families f, StatsRegistry stats, List<String> frontends, List<PoolView> pools) {
        TrafficCounters.Snapshot g = stats.global().snapshot();
        f.counter("convey_connections", "Client connections accepted by the appliance.",
                p -> p.add(Labels.EMPTY, g.totalConnections()));
        f.gauge("convey_connections_current", "Client connections open now.",
                p -> p.add(Labels.EMPTY, g.currentConnections()));
        f.counter("convey_bytes_tx", "Appliance " + TX_HELP + ".", p -> p.add(Labels.EMPTY, g.bytesTx()));
        f.counter("convey_bytes_rx", "Appliance " + RX_HELP + ".", p -> p.add(Labels.EMPTY, g.bytesRx()));

        Map<Labels, TrafficCounters.Snapshot> fes = new LinkedHashMap<>();
        frontends.forEach(name -> fes.put(Labels.of("frontend", name), stats.frontend(name).snapshot()));
        scoped(f, "frontend", fes);
        Map<Labels, TrafficCounters.Snapshot> ps = new LinkedHashMap<>();
        pools.forEach(pool -> ps.put(Labels.of("pool", pool.config().name()), stats.pool(pool.config().name()).snapshot()));
        scoped(f, "pool", ps);

        List<ServerRow> rows = serverRows(stats, pools);
        Map<Labels, TrafficCounters.Snapshot> servers = new LinkedHashMap<>();
        rows.forEach(r -> servers.put(r.labels(), r.traffic()));
        scoped(f, "server", servers);
        upstream(f, rows);
        state(f, pools);
    }

    private static List<ServerRow> serverRows(StatsRegistry stats, List<PoolView> pools) {
        Map<StatsRegistry.ServerKey, UpstreamCounters> upstreams = stats.upstreams();
        Map<String, StatsRegistry.Removed> removed = stats.removed();
        Map<StatsRegistry.ServerKey, TrafficCounters> leaving = new LinkedHashMap<>(stats.servers());
        List<ServerRow> rows = new ArrayList<>();
        for (PoolView pool : pools) {
            String name = pool.config().name();
            for (PoolView.ServerView s : pool.servers()) {
                StatsRegistry.ServerKey key = new StatsRegistry.ServerKey(name, s.name());
                leaving.remove(key);
                rows.add(new ServerRow(serverLabels(name, s.name(), s.addr()), s.counters(), upstream(upstreams, key)));
            }
            // Removed from the config but still carrying connections: shown until the next reload folds them.
            leaving.forEach((key, traffic) -> {
                if (key.pool().equals(name)) {
                    rows.add(new ServerRow(serverLabels(name, key.server(), ""), traffic.snapshot(),
                            upstream(upstreams, key)));
                }
            });
            StatsRegistry.Removed folded = removed.get(name);
            if (folded != null) {
                rows.add(new ServerRow(serverLabels(name, REMOVED, ""), folded.traffic().snapshot(),
                        folded.upstream().snapshot()));
            }
        }
        return rows;
    }

    private static UpstreamCounters.Snapshot upstream(Map<StatsRegistry.ServerKey, UpstreamCounters> upstreams,
            StatsRegistry.ServerKey key) {
        UpstreamCounters u = upstreams.get(key);
        return u == null ? new UpstreamCounters().snapshot() : u.snapshot();
    }

    static Labels serverLabels(String pool, String server, String addr) {
        return Labels.of("pool", pool, "server", server, "addr", addr);
    }

    private static void scoped(Families f, String scope, Map<Labels, TrafficCounters.Snapshot> rows) {
        String prefix = "convey_" + scope + "_";
        f.counter(prefix + "connections", "Connections per " + scope + ".",
                p -> rows.forEach((l, s) -> p.add(l, s.totalConnections())));
        f.gauge(prefix + "connections_current", "Open connections per " + scope + ".",
                p -> rows.forEach((l, s) -> p.add(l, s.currentConnections())));
        f.counter(prefix + "bytes_tx", "Per " + scope + ", " + TX_HELP + ".",
                p -> rows.forEach((l, s) -> p.add(l, s.bytesTx())));
        f.counter(prefix + "bytes_rx", "Per " + scope + ", " + RX_HELP + ".",
                p -> rows.forEach((l, s) -> p.add(l, s.bytesRx())));
    }

    private static void upstream(Families f, List<ServerRow> rows) {
        count(f, rows, "convey_server_connect_errors", "Connect attempts to the server refused or failed (proxy mode).",
                UpstreamCounters.Snapshot::connectErrors);
        count(f, rows, "convey_server_connect_timeouts",
                "Connect attempts to the server unanswered within the pool's connect_timeout_ms (proxy mode).",
                UpstreamCounters.Snapshot::connectTimeouts);
        count(f, rows, "convey_server_retries",
                "Connections offered to another server after a failed connect to this one (proxy mode).",
                UpstreamCounters.Snapshot::retries);
        f.histogram("convey_server_connect_seconds", "Time to connect to the server (proxy mode), in seconds.",
                p -> rows.forEach(r -> p.add(r.labels(), r.upstream().connectTime())));
        f.histogram("convey_server_connection_duration_seconds",
                "Lifetime of proxied connections to the server, from connect to close, in seconds.",
                p -> rows.forEach(r -> p.add(r.labels(), r.upstream().duration())));
    }

    private static void count(Families f, List<ServerRow> rows, String name, String help,
            ToLongFunction<UpstreamCounters.Snapshot> value) {
        f.counter(name, help, p -> rows.forEach(r -> p.add(r.labels(), value.applyAsLong(r.upstream()))));
    }

    private static void state(Families f, List<PoolView> pools) {
        f.gauge("convey_server_up", "1 when the server passes its health checks (unchecked servers count as up).",
                p -> forServers(pools, (l, s) -> p.add(l, s.up() ? 1 : 0)));
        f.gauge("convey_server_weight", "The server's configured weight.",
                p -> forServers(pools, (l, s) -> p.add(l, s.weight())));
        f.gauge("convey_server_state",
                "The server's admin state: 1 on the series whose state label (enabled, drain, disabled) is current.",
                p -> forServers(pools, (l, s) -> {
                    for (String state : List.of("enabled", "drain", "disabled")) {
                        p.add(l.merge(Labels.of("state", state)), state.equals(s.state()) ? 1 : 0);
                    }
                }));
        f.gauge("convey_server_eligible",
                "1 when the server takes new connections: up, enabled and weighted above zero.",
                p -> forServers(pools, (l, s) -> p.add(l, s.eligible() ? 1 : 0)));
        f.gauge("convey_pool_servers", "Servers configured in the pool.",
                p -> pools.forEach(pool -> p.add(Labels.of("pool", pool.config().name()), pool.servers().size())));
        f.gauge("convey_pool_eligible_servers",
                "Servers of the pool that take new connections now; 0 means the pool turns every new connection away.",
                p -> pools.forEach(pool -> p.add(Labels.of("pool", pool.config().name()),
                        pool.servers().stream().filter(PoolView.ServerView::eligible).count())));
    }

    private interface ServerPoint {
        void add(Labels labels, PoolView.ServerView server);
    }

    private static void forServers(List<PoolView> pools, ServerPoint point) {
        for (PoolView pool : pools) {
            for (PoolView.ServerView s : pool.servers()) {
                point.add(serverLabels(pool.config().name(), s.name(), s.addr()), s);
            }
        }
    }
}
