package io.convey.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The packet data plane's counters (passthrough and DSR) from its details map: every number as
 * {@code convey_packet_<name>} (a counter, so {@code _total} in the exposition, except the gauges), drops as
 * {@code convey_packet_dropped_total{reason}}, each worker's as {@code convey_packet_worker_<name>{worker}}.
 * Nothing in proxy mode. Numbers the data plane adds later appear without a change here.
 */
final class PacketMetrics {
    /** Keys of the details map that are levels, not running totals. */
    private static final Set<String> GAUGES = Set.of("active_flows");

    private PacketMetrics() {}

    static void collect(Families f, Map<String, Object> details) {
        if (!(details.get("packet") instanceof Map<?, ?> packet)) {
            return;
        }
        packet.forEach((key, value) -> {
            if (value instanceof Number n) {
                number(f, "convey_packet_" + key, "Packet data plane: " + words(key) + ".", key.toString(),
                        Labels.EMPTY, n);
            }
        });
        if (packet.get("dropped") instanceof Map<?, ?> drops) {
            f.counter("convey_packet_dropped", "Packets dropped by the packet data plane, by reason (see docs/api.md).",
                    p -> drops.forEach((reason, n) -> p.add(Labels.of("reason", reason.toString()),
                            ((Number) n).doubleValue())));
        }
        if (packet.get("workers") instanceof List<?> workers && !workers.isEmpty()
                && workers.getFirst() instanceof Map<?, ?> first) {
            for (Object key : first.keySet()) {
                String name = "convey_packet_worker_" + key;
                String help = "Packet data plane, per worker: " + words(key) + ".";
                if (GAUGES.contains(key.toString())) {
                    f.gauge(name, help, p -> perWorker(workers, key, p));
                } else {
                    f.counter(name, help, p -> perWorker(workers, key, p));
                }
            }
        }
    }

    private static void number(Families f, String name, String help, String key, Labels labels, Number n) {
        if (GAUGES.contains(key)) {
            f.gauge(name, help, p -> p.add(labels, n.doubleValue()));
        } else {
            f.counter(name, help, p -> p.add(labels, n.doubleValue()));
        }
    }

    private static void perWorker(List<?> workers, Object key, Families.Points p) {
        for (int w = 0; w < workers.size(); w++) {
            if (((Map<?, ?>) workers.get(w)).get(key) instanceof Number n) {
                p.add(Labels.of("worker", Integer.toString(w)), n.doubleValue());
            }
        }
    }

    private static String words(Object key) {
        return key.toString().replace('_', ' ');
    }
}
