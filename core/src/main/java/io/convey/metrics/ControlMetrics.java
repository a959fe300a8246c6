package io.convey.metrics;

import io.convey.engine.Engine;
import io.convey.engine.ReloadStatus;
import io.convey.stats.NotifyCounters;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/** The control plane: build, config version, the last reload's result and time, rejected reloads, notifications. */
final class ControlMetrics {
    private ControlMetrics() {}

    static void collect(Families f, Engine engine, String version) {
        f.gauge("convey_build_info", "Always 1; the labels say which version runs in which mode.",
                p -> p.add(Labels.of("version", version, "mode", engine.mode().id()), 1));
        f.gauge("convey_config_version", "Version of the running configuration: one more for every applied change.",
                p -> p.add(Labels.EMPTY, engine.version()));
        ReloadStatus last = engine.lastReload();
        f.gauge("convey_config_last_reload_success",
                "1 when the last attempt to apply a configuration (file, signal or API) succeeded, 0 when it was rejected.",
                p -> p.add(Labels.EMPTY, last == null || last.ok() ? 1 : 0));
        f.gauge("convey_config_last_reload_timestamp_seconds",
                "When the last attempt to apply a configuration finished, in Unix seconds.",
                p -> p.add(Labels.EMPTY, last == null ? 0 : last.at().toEpochMilli() / 1000.0));
        f.counter("convey_config_reloads_rejected",
                "Configurations refused (invalid, or a listener that could not be bound); the running one stayed.",
                p -> p.add(Labels.EMPTY, engine.stats().rejectedReloads()));
        Map<String, Map<String, Long>> refusals = new TreeMap<>();
        engine.stats().refusals().forEach((frontend, c) -> refusals.put(frontend, c.snapshot()));
        f.counter("convey_frontend_refused",
                "Connections a frontend closed before choosing a server, by reason: proxy_header_missing (no PROXY"
                        + " header in time), proxy_header_invalid, not_tls (SNI frontend with sni_mismatch reject),"
                        + " client_hello_too_large, no_server, queue_full, queue_timeout, frontend_full (at its"
                        + " max_connections).",
                p -> refusals.forEach((frontend, byReason) -> byReason.forEach((reason, n) ->
                        p.add(Labels.of("frontend", frontend, "reason", reason), n))));
        Map<String, NotifyCounters.Snapshot> hooks = new TreeMap<>();
        engine.stats().notifications().forEach((hook, c) -> hooks.put(hook, c.snapshot()));
        notify(f, hooks, "convey_notify_delivered", "Notifications delivered (HTTP 2xx) per hook.",
                NotifyCounters.Snapshot::delivered);
        notify(f, hooks, "convey_notify_failed", "Notifications given up after every attempt failed, per hook.",
                NotifyCounters.Snapshot::failed);
        notify(f, hooks, "convey_notify_retries", "Notification attempts repeated after a failed one, per hook.",
                NotifyCounters.Snapshot::retries);
        notify(f, hooks, "convey_notify_dropped", "Notifications dropped because the hook's queue was full.",
                NotifyCounters.Snapshot::dropped);
        f.gauge("convey_notify_queued", "Notifications waiting in the hook's queue.",
                p -> hooks.forEach((hook, s) -> p.add(Labels.of("hook", hook), s.queued())));
    }

    private static void notify(Families f, Map<String, NotifyCounters.Snapshot> hooks, String name, String help,
            ToLongFunction<NotifyCounters.Snapshot> value) {
        f.counter(name, help, p -> hooks.forEach((hook, s) -> p.add(Labels.of("hook", hook), value.applyAsLong(s))));
    }
}
