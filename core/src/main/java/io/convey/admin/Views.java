package io.convey.admin;

import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.NotifyConfig;
import io.convey.config.NotifyEvent;
import io.convey.config.PoolConfig;
import io.convey.config.Problem;
import io.convey.config.ServerConfig;
import io.convey.config.SocketAddresses;
import io.convey.engine.PoolView;
import io.convey.engine.ReloadStatus;
import io.convey.health.HealthStatus;
import io.convey.stats.NotifyCounters;
import io.convey.stats.SeriesRecorder;
import io.convey.stats.TrafficCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's JSON shapes (snake_case, as in docs/api.md), built from the engine's read-only views. */
final class Views {
    private Views() {}

    static Map<String, Object> counters(TrafficCounters.Snapshot s) {
        return io.convey.stats.StatsDocument.counters(s);
    }

    static Map<String, Object> config(ConveyConfig config) {
        Map<String, Object> frontends = new LinkedHashMap<>();
        for (FrontendConfig f : config.frontends().values()) {
            frontends.put(f.name(), Map.of("listen_addr", SocketAddresses.format(f.listenAddr()), "backend", f.backend()));
        }
        Map<String, Object> backends = new LinkedHashMap<>();
        for (PoolConfig p : config.backends().values()) {
            Map<String, Object> pool = poolSettings(p);
            pool.put("dsr_method", p.dsrMethod().id());
            pool.put("on_server_down", p.onServerDown().id());
            Map<String, Object> servers = new LinkedHashMap<>();
            for (ServerConfig s : p.servers().values()) {
                servers.put(s.name(), Map.of("addr", SocketAddresses.format(s.addr()), "weight", s.weight(),
                        "state", s.state().id()));
            }
            pool.put("servers", servers);
            backends.put(p.name(), pool);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frontends", frontends);
        m.put("backends", backends);
        m.put("stats", Map.of("port", config.stats().port()));
        return m;
    }

    static Map<String, Object> pool(PoolView view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", view.config().name());
        m.putAll(poolSettings(view.config()));
        m.put("counters", counters(view.counters()));
        m.put("servers", view.servers().stream().map(Views::server).toList());
        return m;
    }

    private static Map<String, Object> poolSettings(PoolConfig p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", p.algorithm().id());
        m.put("health_check_interval_ms", p.healthCheckInterval().toMillis());
        m.put("health_check_timeout_ms", p.healthCheckTimeout().toMillis());
        m.put("rise", p.rise());
        m.put("fall", p.fall());
        m.put("connect_timeout_ms", p.connectTimeout().toMillis());
        m.put("idle_timeout_s", p.idleTimeout().toSeconds());
        return m;
    }

    static Map<String, Object> server(PoolView.ServerView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("addr", s.addr());
        m.put("weight", s.weight());
        m.put("state", s.state());
        m.put("eligible", s.eligible());
        m.put("expected_share", s.expectedShare());
        m.put("active_connections", s.counters().currentConnections());
        m.put("total_connections", s.counters().totalConnections());
        m.put("bytes_tx", s.counters().bytesTx());
        m.put("bytes_rx", s.counters().bytesRx());
        m.put("health", health(s.up(), s.health()));
        return m;
    }

    private static Map<String, Object> health(boolean up, HealthStatus h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("up", up);
        m.put("checked", h != null && h.checked());
        m.put("last_check", h == null ? null : h.lastCheck());
        m.put("latency_ms", h == null || h.lastLatency() == null ? null : h.lastLatency().toNanos() / 1e6);
        m.put("consecutive_successes", h == null ? 0 : h.consecutiveSuccesses());
        m.put("consecutive_failures", h == null ? 0 : h.consecutiveFailures());
        m.put("last_error", h == null ? null : h.lastError());
        m.put("flaps_last_hour", h == null ? 0 : h.flapsLastHour());
        m.put("history", h == null ? List.of() : h.history().stream()
                .map(t -> Map.of("at", t.at(), "up", t.up(), "reason", t.reason())).toList());
        return m;
    }

    static Map<String, Object> sample(SeriesRecorder.Sample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", s.at());
        m.put("bytes_in", s.bytesInPerSec());
        m.put("bytes_out", s.bytesOutPerSec());
        m.put("active", s.active());
        m.put("new", s.newPerSec());
        return m;
    }

    static List<Map<String, Object>> problems(List<Problem> problems) {
        return problems.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", p.file());
            m.put("line", p.line());
            m.put("path", p.path());
            m.put("message", p.message());
            m.put("warning", p.warning());
            return m;
        }).toList();
    }

    static Map<String, Object> reload(ReloadStatus r) {
        if (r == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", r.at());
        m.put("source", r.source());
        m.put("ok", r.ok());
        m.put("version", r.version());
        m.put("problems", problems(r.problems()));
        return m;
    }

    /** Each configured hook with its URL, events and delivery counters (never its secret). */
    static Map<String, Object> notify(NotifyConfig config, Map<String, NotifyCounters> counters) {
        Map<String, Object> hooks = new LinkedHashMap<>();
        config.hooks().forEach((name, hook) -> {
            NotifyCounters c = counters.get(name);
            NotifyCounters.Snapshot s = (c == null ? new NotifyCounters() : c).snapshot();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", hook.url().toString());
            m.put("signed", hook.secretFile().isPresent());
            m.put("events", hook.events().stream().map(NotifyEvent::id).toList());
            m.put("delivered", s.delivered());
            m.put("failed", s.failed());
            m.put("retries", s.retries());
            m.put("dropped", s.dropped());
            m.put("queued", s.queued());
            m.put("last_error", s.lastError() == null ? null : s.lastError().error());
            m.put("last_error_at", s.lastError() == null ? null : s.lastError().at());
            hooks.put(name, m);
        });
        return Map.of("hooks", hooks);
    }
}
