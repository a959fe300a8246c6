package io.convey.metrics;

import io.convey.engine.PoolView;
import io.convey.stats.DatagramCounters;
import io.convey.stats.DatagramStats;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The UDP frontends' datagrams, bytes and sessions: for the appliance, each UDP frontend, each pool a UDP frontend
 * uses and its servers; sessions dropped (the session cap, or no eligible server) per frontend, and per server the
 * sessions ended by ICMP port unreachable or an unanswered request.
 */
final class DatagramMetrics {
    private DatagramMetrics() {}

    static void collect(Families f, DatagramStats stats, List<String> udpFrontends, List<PoolView> pools) {
        Map<Labels, DatagramCounters.Snapshot> appliance = Map.of(Labels.EMPTY, stats.global().snapshot());
        scoped(f, "convey_udp_", "the appliance", appliance);
        Map<Labels, DatagramCounters.Snapshot> frontends = new LinkedHashMap<>();
        udpFrontends.forEach(name -> frontends.put(Labels.of("frontend", name), stats.frontend(name).snapshot()));
        scoped(f, "convey_frontend_udp_", "UDP frontend", frontends);
        Map<Labels, DatagramCounters.Snapshot> poolRows = new LinkedHashMap<>();
        Map<Labels, DatagramCounters.Snapshot> serverRows = new LinkedHashMap<>();
        for (PoolView pool : pools) {
            if (pool.udp() == null) {
                continue;
            }
            poolRows.put(Labels.of("pool", pool.config().name()), pool.udp());
            pool.servers().forEach(s -> serverRows.put(TrafficMetrics.serverLabels(pool.config().name(), s.name(), s.addr()),
                    s.udp()));
        }
        scoped(f, "convey_pool_udp_", "pool serving a UDP frontend", poolRows);
        scoped(f, "convey_server_udp_", "server of a pool serving a UDP frontend", serverRows);
        count(f, "convey_udp_sessions_dropped", "Client datagrams dropped instead of opening a UDP session (the "
                + "frontend's udp_max_sessions reached, or no eligible server), for the appliance.", appliance,
                DatagramCounters.Snapshot::sessionsDropped);
        count(f, "convey_frontend_udp_sessions_dropped", "Client datagrams dropped instead of opening a UDP session (the "
                + "frontend's udp_max_sessions reached, or no eligible server), per UDP frontend.", frontends,
                DatagramCounters.Snapshot::sessionsDropped);
        count(f, "convey_server_udp_unreachable", "UDP sessions ended because the server's host answered ICMP port "
                + "unreachable.", serverRows, DatagramCounters.Snapshot::unreachable);
        count(f, "convey_server_udp_unanswered", "UDP sessions ended because a request had no answer within the pool's "
                + "health_check_timeout_ms (with udp_responses set).", serverRows, DatagramCounters.Snapshot::unanswered);
    }

    private static void scoped(Families f, String prefix, String scope, Map<Labels, DatagramCounters.Snapshot> rows) {
        count(f, prefix + "datagrams_tx", "Datagrams from clients sent on to servers, per " + scope + ".", rows,
                DatagramCounters.Snapshot::datagramsTx);
        count(f, prefix + "datagrams_rx", "Datagrams from servers relayed back to clients, per " + scope + ".", rows,
                DatagramCounters.Snapshot::datagramsRx);
        count(f, prefix + "bytes_tx", "UDP payload bytes from clients to servers, per " + scope + ".", rows,
                DatagramCounters.Snapshot::bytesTx);
        count(f, prefix + "bytes_rx", "UDP payload bytes from servers to clients, per " + scope + ".", rows,
                DatagramCounters.Snapshot::bytesRx);
        count(f, prefix + "sessions", "UDP sessions (one per client address and port) opened, per " + scope + ".", rows,
                DatagramCounters.Snapshot::sessionsTotal);
        f.gauge(prefix + "sessions_current", "UDP sessions open now, per " + scope + ".",
                p -> rows.forEach((l, s) -> p.add(l, s.sessionsCurrent())));
    }

    private static void count(Families f, String name, String help, Map<Labels, DatagramCounters.Snapshot> rows,
            ToLongFunction<DatagramCounters.Snapshot> value) {
        f.counter(name, help, p -> rows.forEach((l, s) -> p.add(l, value.applyAsLong(s))));
    }
}
