package io.convey.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.Map;

/**
 * The announce adapters' state from the engine's announce details: {@code convey_maintenance},
 * {@code convey_vip_announced{vip,state,reason}} (1 announced or draining, as the state label says; 0 withdrawn),
 * {@code convey_bgp_session_up{session,state}} (1 while BIRD reports the session Established) and
 * {@code convey_vrrp_master{instance,state}} (1 while keepalived reports MASTER).
 */
final class AnnounceMetrics {
    private AnnounceMetrics() {}

    static void collect(Families f, Map<String, Object> details) {
        f.gauge("convey_maintenance", "1 while the appliance is in maintenance (its VIPs withdrawn or drained).",
                p -> p.add(Labels.EMPTY, Boolean.TRUE.equals(details.get("maintenance")) ? 1 : 0));
        if (details.get("vips") instanceof List<?> vips) {
            f.gauge("convey_vip_announced", "1 while a VIP is announced (or draining), 0 when withdrawn; the labels say why.",
                    p -> vips.forEach(o -> {
                        Map<?, ?> v = (Map<?, ?>) o;
                        p.add(Labels.of("vip", v.get("vip").toString(), "state", v.get("state").toString(), "reason",
                                v.get("reason").toString()), "withdrawn".equals(v.get("state")) ? 0 : 1);
                    }));
        }
        if (details.get("bgp") instanceof Map<?, ?> bgp && bgp.get("sessions") instanceof List<?> sessions) {
            f.gauge("convey_bgp_session_up", "1 while a BGP session is Established, as BIRD reports it.",
                    p -> sessions.forEach(o -> {
                        Map<?, ?> s = (Map<?, ?>) o;
                        String info = s.get("info").toString();
                        p.add(Labels.of("session", s.get("name").toString(), "state", info),
                                info.startsWith("Established") ? 1 : 0);
                    }));
        }
        if (details.get("vrrp") instanceof Map<?, ?> vrrp && vrrp.get("instances") instanceof List<?> instances) {
            f.gauge("convey_vrrp_master", "1 while keepalived reports this appliance MASTER of the instance.",
                    p -> instances.forEach(o -> {
                        Map<?, ?> i = (Map<?, ?>) o;
                        p.add(Labels.of("instance", i.get("instance").toString(), "state", i.get("state").toString()),
                                "MASTER".equals(i.get("state")) ? 1 : 0);
                    }));
        }
    }
}
