package io.convey.metrics;

import io.convey.engine.PoolView;
import io.convey.health.ProbeResult;
import io.convey.stats.HealthCounters;
import io.convey.stats.StatsRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Health checks per server: latency histogram, failures by reason, and state changes within the last hour. */
final class HealthMetrics {
    private HealthMetrics() {}

    static void collect(Families f, StatsRegistry stats, List<PoolView> pools) {
        Map<StatsRegistry.ServerKey, HealthCounters> health = stats.health();
        f.histogram("convey_health_check_seconds",
                "Duration of each health check (TCP connect, or until it failed), in seconds.",
                p -> each(pools, health, (labels, h) -> p.add(labels, h.latency())));
        f.counter("convey_health_check_failures",
                "Failed health checks by reason: refused, timeout, no_route, bind, unresolved, socket, io.",
                p -> each(pools, health, (labels, h) -> {
                    Map<String, Long> failures = new TreeMap<>(h.failures());
                    ProbeResult.FAILURES.forEach(reason -> failures.putIfAbsent(reason, 0L));
                    failures.forEach((reason, n) -> p.add(labels.merge(Labels.of("reason", reason)), n));
                }));
        f.gauge("convey_server_flaps_last_hour",
                "Health state changes of the server within the last hour, not counting its first check.",
                p -> pools.forEach(pool -> pool.servers().forEach(s -> p.add(
                        TrafficMetrics.serverLabels(pool.config().name(), s.name(), s.addr()),
                        s.health() == null ? 0 : s.health().flapsLastHour()))));
    }

    private interface Row {
        void add(Labels labels, HealthCounters.Snapshot health);
    }

    private static void each(List<PoolView> pools, Map<StatsRegistry.ServerKey, HealthCounters> health, Row row) {
        for (PoolView pool : pools) {
            for (PoolView.ServerView s : pool.servers()) {
                HealthCounters h = health.get(new StatsRegistry.ServerKey(pool.config().name(), s.name()));
                if (h != null) {
                    row.add(TrafficMetrics.serverLabels(pool.config().name(), s.name(), s.addr()), h.snapshot());
                }
            }
        }
    }
}
