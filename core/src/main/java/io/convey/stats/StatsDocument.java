package io.convey.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the original convey's {@code /stats} JSON document (same field names and meanings) from the
 * counters, and the same numbers as Prometheus text.
 */
public final class StatsDocument {
    private StatsDocument() {}

    /** A pool as /stats shows it: its name and each server address with its health, in config order. */
    public record PoolHealth(String pool, Map<String, Boolean> servers) {}

    /** One server's labels and health for /metrics. */
    public record ServerHealth(String pool, String server, String addr, boolean up) {}

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

    /** The same counters in the Prometheus text exposition format (version 0.0.4). */
    public static String prometheus(StatsRegistry registry, List<String> frontends, List<String> pools,
            List<ServerHealth> servers) {
        StringBuilder out = new StringBuilder(4096);
        TrafficCounters.Snapshot g = registry.global().snapshot();
        family(out, "convey_connections_total", "counter", "Client connections accepted.");
        out.append("convey_connections_total ").append(g.totalConnections()).append('\n');
        family(out, "convey_connections_current", "gauge", "Client connections open now.");
        out.append("convey_connections_current ").append(g.currentConnections()).append('\n');
        family(out, "convey_bytes_tx_total", "counter", "Bytes from clients to servers.");
        out.append("convey_bytes_tx_total ").append(g.bytesTx()).append('\n');
        family(out, "convey_bytes_rx_total", "counter", "Bytes from servers to clients.");
        out.append("convey_bytes_rx_total ").append(g.bytesRx()).append('\n');
        scoped(out, "frontend", frontends.stream().map(f -> new Scoped("frontend=\"" + esc(f) + "\"",
                registry.frontend(f).snapshot())).toList());
        scoped(out, "pool", pools.stream().map(p -> new Scoped("pool=\"" + esc(p) + "\"",
                registry.pool(p).snapshot())).toList());
        scoped(out, "server", servers.stream().map(s -> new Scoped(serverLabels(s),
                registry.server(s.pool(), s.server()).snapshot())).toList());
        family(out, "convey_server_up", "gauge", "1 when the server passes its health checks.");
        for (ServerHealth s : servers) {
            out.append("convey_server_up{").append(serverLabels(s)).append("} ").append(s.up() ? 1 : 0).append('\n');
        }
        return out.toString();
    }

    /**
     * The packet data plane's counters (passthrough and DSR), from its details map: every number as
     * {@code convey_packet_<name>}, drops as {@code convey_packet_dropped_total{reason="..."}} and each worker's
     * counters as {@code convey_packet_worker_<name>{worker="0"}}. Empty in proxy mode.
     */
    public static String packetMetrics(Map<String, Object> details) {
        if (!(details.get("packet") instanceof Map<?, ?> packet)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (var entry : packet.entrySet()) {
            if (entry.getValue() instanceof Number n) {
                String name = "convey_packet_" + entry.getKey();
                boolean gauge = entry.getKey().equals("active_flows");
                family(out, name, gauge ? "gauge" : "counter", "Packet data plane: " + entry.getKey().toString().replace('_', ' ') + ".");
                out.append(name).append(' ').append(n.longValue()).append('\n');
            }
        }
        if (packet.get("dropped") instanceof Map<?, ?> drops) {
            family(out, "convey_packet_dropped_total", "counter", "Packets dropped by the packet data plane, by reason.");
            drops.forEach((reason, n) -> out.append("convey_packet_dropped_total{reason=\"").append(esc(reason.toString()))
                    .append("\"} ").append(((Number) n).longValue()).append('\n'));
        }
        if (packet.get("workers") instanceof List<?> workers && !workers.isEmpty()
                && workers.getFirst() instanceof Map<?, ?> first) {
            for (Object key : first.keySet()) {
                String name = "convey_packet_worker_" + key;
                boolean gauge = key.equals("active_flows");
                family(out, name, gauge ? "gauge" : "counter", "Packet data plane, per worker: " + key.toString().replace('_', ' ') + ".");
                for (int w = 0; w < workers.size(); w++) {
                    out.append(name).append("{worker=\"").append(w).append("\"} ")
                            .append(((Number) ((Map<?, ?>) workers.get(w)).get(key)).longValue()).append('\n');
                }
            }
        }
        return out.toString();
    }

    /**
     * The announce adapters' state as gauges: {@code convey_maintenance}, {@code convey_vip_announced{vip,state,reason}}
     * (1 announced or draining, as its state label says; 0 withdrawn),
     * {@code convey_bgp_session_up{session,state}} and {@code convey_vrrp_master{instance,state}}. Empty when
     * nothing announces.
     */
    public static String announceMetrics(Map<String, Object> details) {
        if (details.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        family(out, "convey_maintenance", "gauge", "1 while the appliance is in maintenance.");
        out.append("convey_maintenance ").append(Boolean.TRUE.equals(details.get("maintenance")) ? 1 : 0).append('\n');
        if (details.get("vips") instanceof List<?> vips) {
            family(out, "convey_vip_announced", "gauge", "1 while a VIP is announced (or draining), 0 when withdrawn.");
            for (Object o : vips) {
                Map<?, ?> v = (Map<?, ?>) o;
                line(out, "convey_vip_announced", "vip=\"" + esc(v.get("vip").toString()) + "\",state=\""
                        + esc(v.get("state").toString()) + "\",reason=\"" + esc(v.get("reason").toString()) + "\"",
                        "withdrawn".equals(v.get("state")) ? 0 : 1);
            }
        }
        if (details.get("bgp") instanceof Map<?, ?> bgp && bgp.get("sessions") instanceof List<?> sessions) {
            family(out, "convey_bgp_session_up", "gauge", "1 while a BGP session is Established, as BIRD reports it.");
            for (Object o : sessions) {
                Map<?, ?> s = (Map<?, ?>) o;
                line(out, "convey_bgp_session_up", "session=\"" + esc(s.get("name").toString()) + "\",state=\""
                        + esc(s.get("info").toString()) + "\"", s.get("info").toString().startsWith("Established") ? 1 : 0);
            }
        }
        if (details.get("vrrp") instanceof Map<?, ?> vrrp && vrrp.get("instances") instanceof List<?> instances) {
            family(out, "convey_vrrp_master", "gauge", "1 while keepalived reports this appliance MASTER of the instance.");
            for (Object o : instances) {
                Map<?, ?> i = (Map<?, ?>) o;
                line(out, "convey_vrrp_master", "instance=\"" + esc(i.get("instance").toString()) + "\",state=\""
                        + esc(i.get("state").toString()) + "\"", "MASTER".equals(i.get("state")) ? 1 : 0);
            }
        }
        return out.toString();
    }

    private record Scoped(String labels, TrafficCounters.Snapshot snapshot) {}

    private static void scoped(StringBuilder out, String scope, List<Scoped> rows) {
        String prefix = "convey_" + scope + "_";
        family(out, prefix + "connections_total", "counter", "Connections per " + scope + ".");
        rows.forEach(r -> line(out, prefix + "connections_total", r.labels, r.snapshot.totalConnections()));
        family(out, prefix + "connections_current", "gauge", "Open connections per " + scope + ".");
        rows.forEach(r -> line(out, prefix + "connections_current", r.labels, r.snapshot.currentConnections()));
        family(out, prefix + "bytes_tx_total", "counter", "Bytes client to server per " + scope + ".");
        rows.forEach(r -> line(out, prefix + "bytes_tx_total", r.labels, r.snapshot.bytesTx()));
        family(out, prefix + "bytes_rx_total", "counter", "Bytes server to client per " + scope + ".");
        rows.forEach(r -> line(out, prefix + "bytes_rx_total", r.labels, r.snapshot.bytesRx()));
    }

    private static String serverLabels(ServerHealth s) {
        return "pool=\"" + esc(s.pool()) + "\",server=\"" + esc(s.server()) + "\",addr=\"" + esc(s.addr()) + "\"";
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder out, String name, String labels, long value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
