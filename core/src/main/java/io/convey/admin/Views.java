package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.NotifyConfig;
import io.convey.config.NotifyEvent;
import io.convey.config.PoolConfig;
import io.convey.config.Problem;
import io.convey.config.Protocol;
import io.convey.config.SocketAddresses;
import io.convey.config.UdpOptions;
import io.convey.engine.PoolView;
import io.convey.engine.ReloadStatus;
import io.convey.health.HealthStatus;
import io.convey.health.HealthTransition;
import io.convey.stats.DatagramCounters;
import io.convey.stats.NotifyCounters;
import io.convey.stats.QueueCounters;
import io.convey.stats.SeriesRecorder;
import io.convey.stats.TrafficCounters;
import io.convey.stats.UpstreamCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's JSON shapes as records (snake_case, as in docs/api.md), built from the engine's read-only views.
 * Jackson writes a record's components in declaration order and writes nulls, so the order here is the order
 * clients see.
 */
final class Views {
    private Views() {}

    /** One scope's counters, as every document shows them (/stats included). */
    record Counters(@JsonProperty("total_connections") long totalConnections,
            @JsonProperty("current_connections") long currentConnections,
            @JsonProperty("bytes_tx") long bytesTx, @JsonProperty("bytes_rx") long bytesRx) {
        static Counters of(TrafficCounters.Snapshot s) {
            return new Counters(s.totalConnections(), s.currentConnections(), s.bytesTx(), s.bytesRx());
        }
    }

    /** One scope's UDP counters (frontend, pool, server): datagrams and bytes both ways, sessions. */
    record UdpCounters(@JsonProperty("datagrams_tx") long datagramsTx, @JsonProperty("datagrams_rx") long datagramsRx,
            @JsonProperty("bytes_tx") long bytesTx, @JsonProperty("bytes_rx") long bytesRx,
            @JsonProperty("sessions_current") long sessionsCurrent, @JsonProperty("sessions_total") long sessionsTotal,
            @JsonProperty("sessions_dropped") long sessionsDropped, long unreachable, long unanswered) {
        static UdpCounters of(DatagramCounters.Snapshot s) {
            return s == null ? null : new UdpCounters(s.datagramsTx(), s.datagramsRx(), s.bytesTx(), s.bytesRx(),
                    s.sessionsCurrent(), s.sessionsTotal(), s.sessionsDropped(), s.unreachable(), s.unanswered());
        }
    }

    /** {@code GET /api/v1/config}: the effective config. */
    record ConfigDocument(Map<String, ConfigFrontend> frontends, Map<String, ConfigPool> backends, ConfigStats stats) {
        static ConfigDocument of(ConveyConfig config) {
            Map<String, ConfigFrontend> frontends = new LinkedHashMap<>();
            config.frontends().values().forEach(f -> frontends.put(f.name(),
                    new ConfigFrontend(SocketAddresses.format(f.listenAddr()), f.backend(), f.protocol().id(),
                            ConfigUdp.of(f), Preamble.of(f.preamble()), f.maxConnections())));
            Map<String, ConfigPool> backends = new LinkedHashMap<>();
            for (PoolConfig p : config.backends().values()) {
                Map<String, ConfigServer> servers = new LinkedHashMap<>();
                p.servers().values().forEach(s -> servers.put(s.name(),
                        new ConfigServer(SocketAddresses.format(s.addr()), s.weight(), s.state().id(), s.maxConnections())));
                backends.put(p.name(), new ConfigPool(PoolSettings.of(p), p.dsrMethod().id(), p.onServerDown().id(), servers,
                        TrafficSettings.of(p)));
            }
            return new ConfigDocument(frontends, backends, new ConfigStats(config.stats().port()));
        }
    }

    /** A frontend in the config document; the UDP settings appear on UDP frontends only. */
    record ConfigFrontend(@JsonProperty("listen_addr") String listenAddr, String backend, String protocol,
            @JsonUnwrapped ConfigUdp udp, @JsonUnwrapped Preamble preamble,
            @JsonProperty("max_connections") int maxConnections) {}

    /** What a frontend reads before picking a pool: a PROXY protocol header, the TLS server name (its SNI map). */
    record Preamble(@JsonProperty("accept_proxy") boolean acceptProxy,
            @JsonProperty("accept_proxy_timeout_ms") long acceptProxyTimeoutMs, Map<String, String> sni,
            @JsonProperty("sni_mismatch") String sniMismatch, @JsonProperty("sni_timeout_ms") long sniTimeoutMs) {
        static Preamble of(io.convey.config.FrontendPreamble p) {
            return new Preamble(p.acceptProxy(), p.acceptProxyTimeout().toMillis(), p.sni(), p.sniMismatch().id(),
                    p.sniTimeout().toMillis());
        }
    }

    /**
     * A frontend's UDP session settings, null on TCP frontends; {@code udp_responses} null on a UDP frontend means
     * unlimited.
     */
    record ConfigUdp(@JsonProperty("udp_idle_timeout_s") Long idleTimeoutS,
            @JsonProperty("udp_responses") Integer responses, @JsonProperty("udp_max_sessions") Integer maxSessions) {
        static ConfigUdp of(FrontendConfig f) {
            if (f.protocol() != Protocol.UDP) {
                return new ConfigUdp(null, null, null);
            }
            UdpOptions u = f.udp();
            return new ConfigUdp(u.idleTimeout().toSeconds(), u.responses().isPresent() ? u.responses().getAsInt() : null,
                    u.maxSessions());
        }
    }

    /** A pool in the config document. */
    record ConfigPool(@JsonUnwrapped PoolSettings settings, @JsonProperty("dsr_method") String dsrMethod,
            @JsonProperty("on_server_down") String onServerDown, Map<String, ConfigServer> servers,
            @JsonUnwrapped TrafficSettings traffic) {}

    /** A server in the config document. */
    record ConfigServer(String addr, int weight, String state, @JsonProperty("max_connections") int maxConnections) {}

    /** A pool's queue, slow start, passive health, persistence and half-close settings, as their TOML keys. */
    record TrafficSettings(@JsonProperty("queue_size") int queueSize, @JsonProperty("queue_timeout_ms") long queueTimeoutMs,
            @JsonProperty("slow_start_s") long slowStartS, boolean observe,
            @JsonProperty("persistence_timeout_s") long persistenceTimeoutS,
            @JsonProperty("half_close") boolean halfClose) {
        static TrafficSettings of(PoolConfig p) {
            var t = p.traffic();
            return new TrafficSettings(t.queueSize(), t.queueTimeout().toMillis(), t.slowStart().toSeconds(), t.observe(),
                    t.persistenceTimeout().toSeconds(), t.halfClose());
        }
    }

    /** A pool's connection queue now: its length, its peak, and how waits ended (proxy mode). */
    record Queue(int current, int peak, long queued, long served, @JsonProperty("timed_out") long timedOut, long full,
            long abandoned) {
        static Queue of(QueueCounters.Snapshot q) {
            return new Queue(q.current(), q.peak(), q.queued(), q.served(), q.timedOut(), q.full(), q.abandoned());
        }
    }

    /** The {@code [stats]} section in the config document. */
    record ConfigStats(int port) {}

    /** The settings a pool shows both in the config document and as a resource. */
    record PoolSettings(String algorithm, @JsonProperty("health_check_interval_ms") long healthCheckIntervalMs,
            @JsonProperty("health_check_timeout_ms") long healthCheckTimeoutMs, int rise, int fall,
            @JsonProperty("connect_timeout_ms") long connectTimeoutMs, @JsonProperty("idle_timeout_s") long idleTimeoutS,
            @JsonProperty("health_check") String healthCheck, @JsonProperty("health_check_port") Integer healthCheckPort,
            @JsonProperty("send_proxy") String sendProxy) {
        static PoolSettings of(PoolConfig p) {
            var port = p.healthCheck().port();
            return new PoolSettings(p.algorithm().id(), p.healthCheckInterval().toMillis(), p.healthCheckTimeout().toMillis(),
                    p.rise(), p.fall(), p.connectTimeout().toMillis(), p.idleTimeout().toSeconds(),
                    p.healthCheck().type().id(), port.isPresent() ? port.getAsInt() : null, p.sendProxy().id());
        }
    }

    /** {@code GET /api/v1/backends/{pool}}: a pool with its servers, their health and counters. */
    record Pool(String name, @JsonUnwrapped PoolSettings settings, Counters counters, List<Server> servers,
            UdpCounters udp, @JsonUnwrapped TrafficSettings traffic, Queue queue,
            @JsonProperty("persistent_by_construction") boolean maglev) {
        static Pool of(PoolView view) {
            Instant now = Instant.now();
            return new Pool(view.config().name(), PoolSettings.of(view.config()), Counters.of(view.counters()),
                    view.servers().stream().map(s -> Server.of(s, now)).toList(), UdpCounters.of(view.udp()),
                    TrafficSettings.of(view.config()), Queue.of(view.queue()),
                    view.config().algorithm() == io.convey.config.Algorithm.MAGLEV);
        }
    }

    /** A server of a pool now. */
    record Server(String name, String addr, int weight, String state, boolean eligible,
            @JsonProperty("expected_share") double expectedShare,
            @JsonProperty("active_connections") long activeConnections,
            @JsonProperty("total_connections") long totalConnections,
            @JsonProperty("bytes_tx") long bytesTx, @JsonProperty("bytes_rx") long bytesRx, Health health,
            UdpCounters udp, ServerStats stats, @JsonProperty("max_connections") int maxConnections,
            @JsonProperty("slots_in_use") int slotsInUse, @JsonProperty("effective_weight") double effectiveWeight,
            @JsonProperty("ramp_percent") int rampPercent) {
        static Server of(PoolView.ServerView s, Instant now) {
            TrafficCounters.Snapshot c = s.counters();
            PoolView.Limits l = s.limits();
            return new Server(s.name(), s.addr(), s.weight(), s.state(), s.eligible(), s.expectedShare(),
                    c.currentConnections(), c.totalConnections(), c.bytesTx(), c.bytesRx(), Health.of(s.up(), s.health()),
                    UdpCounters.of(s.udp()), ServerStats.of(s, now), l.maxConnections(), l.slotsInUse(),
                    l.effectiveWeight(), l.rampPercent());
        }
    }

    /**
     * What HAProxy's stats page shows of a busy server beside its traffic: the most connections open at once, connect
     * errors, timeouts and retries (proxy mode), since when it is in its health state and for how long it was DOWN.
     */
    record ServerStats(@JsonProperty("peak_connections") long peakConnections,
            @JsonProperty("connect_errors") long connectErrors, @JsonProperty("connect_timeouts") long connectTimeouts,
            long retries, @JsonProperty("state_since") Instant stateSince, @JsonProperty("in_state_s") Long inStateS,
            @JsonProperty("downtime_s") long downtimeS) {
        static ServerStats of(PoolView.ServerView s, Instant now) {
            UpstreamCounters.Snapshot u = s.upstream();
            Instant since = s.health() == null ? null : s.health().since();
            return new ServerStats(s.peakConnections(), u.connectErrors(), u.connectTimeouts(), u.retries(), since,
                    since == null ? null : Math.max(0, Duration.between(since, now).toSeconds()),
                    s.health() == null ? 0 : s.health().downtime().toSeconds());
        }
    }

    /** A server's health; before the first check ({@code h} null) unchecked, with nulls and zeros. */
    record Health(boolean up, boolean checked, @JsonProperty("last_check") Instant lastCheck,
            @JsonProperty("latency_ms") Double latencyMs,
            @JsonProperty("consecutive_successes") int consecutiveSuccesses,
            @JsonProperty("consecutive_failures") int consecutiveFailures, @JsonProperty("last_error") String lastError,
            @JsonProperty("flaps_last_hour") int flapsLastHour, List<Transition> history) {
        static Health of(boolean up, HealthStatus h) {
            if (h == null) {
                return new Health(up, false, null, null, 0, 0, null, 0, List.of());
            }
            return new Health(up, h.checked(), h.lastCheck(), h.lastLatency() == null ? null : h.lastLatency().toNanos() / 1e6,
                    h.consecutiveSuccesses(), h.consecutiveFailures(), h.lastError(), h.flapsLastHour(),
                    h.history().stream().map(Transition::of).toList());
        }
    }

    /** One up/down change of a server. */
    record Transition(Instant at, boolean up, String reason) {
        static Transition of(HealthTransition t) {
            return new Transition(t.at(), t.up(), t.reason());
        }
    }

    /** One second of a scope's series (also the {@code stats} event's samples). */
    record Sample(Instant t, @JsonProperty("bytes_in") long bytesIn, @JsonProperty("bytes_out") long bytesOut, long active,
            @JsonProperty("new") long newPerSec) {
        static Sample of(SeriesRecorder.Sample s) {
            return new Sample(s.at(), s.bytesInPerSec(), s.bytesOutPerSec(), s.active(), s.newPerSec());
        }
    }

    /** A config problem. */
    record ProblemView(String file, int line, String path, String message, boolean warning) {
        static List<ProblemView> of(List<Problem> problems) {
            return problems.stream().map(p -> new ProblemView(p.file(), p.line(), p.path(), p.message(), p.warning())).toList();
        }
    }

    /** The last reload in the status. */
    record Reload(Instant at, String source, boolean ok, long version, List<ProblemView> problems) {
        static Reload of(ReloadStatus r) {
            return r == null ? null : new Reload(r.at(), r.source(), r.ok(), r.version(), ProblemView.of(r.problems()));
        }
    }

    /** The webhooks in the status: each configured hook with its URL, events and delivery counters. */
    record Notify(Map<String, Hook> hooks) {
        static Notify of(NotifyConfig config, Map<String, NotifyCounters> counters) {
            Map<String, Hook> hooks = new LinkedHashMap<>();
            config.hooks().forEach((name, hook) -> {
                NotifyCounters c = counters.get(name);
                NotifyCounters.Snapshot s = (c == null ? new NotifyCounters() : c).snapshot();
                hooks.put(name, new Hook(hook.url().toString(), hook.secretFile().isPresent(),
                        hook.events().stream().map(NotifyEvent::id).toList(), s.delivered(), s.failed(), s.retries(),
                        s.dropped(), s.queued(), s.lastError() == null ? null : s.lastError().error(),
                        s.lastError() == null ? null : s.lastError().at()));
            });
            return new Notify(hooks);
        }
    }

    /** One webhook (never its secret). */
    record Hook(String url, boolean signed, List<String> events, long delivered, long failed, long retries, long dropped,
            long queued, @JsonProperty("last_error") String lastError, @JsonProperty("last_error_at") Instant lastErrorAt) {}
}
