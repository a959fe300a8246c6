package io.convey.console.overview;

import io.convey.console.client.Api;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The data plane in words for the overview: what it runs on, what it carries, what it dropped and who carried it. */
final class DataPlaneText {
    /** Drop reasons that mean traffic the appliance should carry was lost (the others are traffic it refused). */
    static final Set<String> LOSSES = Set.of("capture_overflow", "too_big", "send_failed", "table_full", "no_neighbour");

    private DataPlaneText() {
    }

    static String describe(Api.DataPlane plane) {
        if (plane == null) {
            return "-";
        }
        Api.Packet p = plane.packet();
        if (p == null) {
            return plane.transport() + " transport, " + (plane.activeConnections() == null ? 0 : plane.activeConnections())
                    + " connections now";
        }
        if (p.capture() == null) {
            return "no frontend captured yet";
        }
        String lines = p.capture() + " capture on " + p.interfaceName() + ": " + p.activeFlows() + " flows, "
                + p.sentAsFrames() + " sent as frames, " + p.sentRouted() + " routed, " + p.resetsSent() + " resets\n"
                + drops(p.dropped());
        List<Api.Worker> workers = p.workers() == null ? List.of() : p.workers();
        if (workers.size() > 1) {
            lines += "\nworkers: " + workers.stream()
                    .map(w -> w.activeFlows() + " flows / " + w.connectionsOpened() + " connections")
                    .collect(Collectors.joining(", "));
        }
        return lines;
    }

    /** True if the plane lost traffic it should have carried (shown as an error). */
    static boolean losing(Api.DataPlane plane) {
        return plane != null && plane.packet() != null && plane.packet().dropped() != null
                && plane.packet().dropped().entrySet().stream().anyMatch(e -> LOSSES.contains(e.getKey()) && e.getValue() > 0);
    }

    private static String drops(Map<String, Long> dropped) {
        List<String> nonZero = dropped == null ? List.of() : dropped.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue() + (LOSSES.contains(e.getKey()) ? " (lost)" : ""))
                .toList();
        return nonZero.isEmpty() ? "no frames dropped" : "dropped: " + String.join(", ", nonZero);
    }
}
