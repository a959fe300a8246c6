package io.convey.metrics;

import io.convey.accesslog.AccessLogs;
import io.convey.stats.AdmissionCounters;
import io.convey.stats.StatsRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.Map;

/** Connections each frontend refused (allow/deny lists, rate limit) and the access logs' written and dropped lines. */
final class TrafficControlMetrics {
    private TrafficControlMetrics() {}

    static void collect(Families f, StatsRegistry stats, List<String> frontends, AccessLogs logs) {
        Map<String, AdmissionCounters> admissions = stats.admissions();
        f.counter("convey_frontend_refused_by_acl",
                "New connections (packet modes: flows) refused by the frontend's allow/deny lists, before any server"
                        + " was chosen.",
                p -> frontends.forEach(name -> p.add(Labels.of("frontend", name), snapshot(admissions, name).refusedByAcl())));
        f.counter("convey_frontend_rate_limited",
                "New connections (packet modes: SYNs) refused because their source passed the frontend's rate limit.",
                p -> frontends.forEach(name -> p.add(Labels.of("frontend", name), snapshot(admissions, name).rateLimited())));
        f.counter("convey_access_log_lines", "Access-log lines written (every frontend, every destination).",
                p -> p.add(Labels.EMPTY, logs.written()));
        f.counter("convey_access_log_dropped",
                "Access-log lines dropped because the writer fell behind (its queue was full).",
                p -> p.add(Labels.EMPTY, logs.dropped()));
    }

    private static AdmissionCounters.Snapshot snapshot(Map<String, AdmissionCounters> admissions, String frontend) {
        AdmissionCounters c = admissions.get(frontend);
        return c == null ? AdmissionCounters.Snapshot.ZERO : c.snapshot();
    }
}
