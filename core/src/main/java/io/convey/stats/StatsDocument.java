package io.convey.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the original convey's {@code /stats} JSON document (same field names and meanings) from the
 * counters; {@code /metrics} is built by the metrics package.
 */
public final class StatsDocument {
    private StatsDocument() {}

    /** A pool as /stats shows it: its name and each server address with its health, in config order. */
    public record PoolHealth(String pool, Map<String, Boolean> servers) {}

    /** The /stats document; maps keep config order. */
    public static Map<String, Object> build(StatsRegistry registry, List<String> frontends, List<PoolHealth> pools) {
        TrafficCounters.Snapshot g = registry.global().snapshot();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("total_connections", g.totalConnections());
        doc.put("current_connections", g.currentConnections());
        doc.put("total_bytes_tx", g.bytesTx());
        doc.put("total_bytes_rx", g.bytesRx());
        Map<String, Object> backends = new LinkedHashMap<>();
        for (PoolHealth pool : pools) {
            Map<String, Object> entry = counters(registry.pool(pool.pool()).snapshot());
            entry.put("servers", new LinkedHashMap<>(pool.servers()));
            backends.put(pool.pool(), entry);
        }
        doc.put("backends", backends);
        Map<String, Object> fes = new LinkedHashMap<>();
        for (String fe : frontends) {
            fes.put(fe, counters(registry.frontend(fe).snapshot()));
        }
        doc.put("frontends", fes);
        return doc;
    }

    /**
     * One scope's counters as every JSON document shows them ({@code total_connections, current_connections,
     * bytes_tx, bytes_rx}): /stats and the admin API share this one definition.
     */
    public static Map<String, Object> counters(TrafficCounters.Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_connections", s.totalConnections());
        m.put("current_connections", s.currentConnections());
        m.put("bytes_tx", s.bytesTx());
        m.put("bytes_rx", s.bytesRx());
        return m;
    }
}
