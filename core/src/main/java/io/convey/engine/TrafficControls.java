package io.convey.engine;

import io.convey.accesslog.AccessLogs;
import io.convey.config.AccessLogFormat;
import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.FrontendTraffic;
import io.convey.config.Problem;
import io.convey.stats.AdmissionCounters;
import io.convey.stats.StatsRegistry;
import io.convey.traffic.AccessList;
import io.convey.traffic.AccessSink;
import io.convey.traffic.FrontendGuard;
import io.convey.traffic.RateLimiter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each frontend's traffic control as the data planes use it: its {@link FrontendGuard} (allow/deny lists, rate
 * limiter, refusal counters) and its access-log sink. Rebuilt by the engine's writer when a config is applied; a
 * frontend whose rate limit is unchanged keeps its limiter (and what it remembers of each source), and counters
 * live in the stats registry, so reloads keep them. Data-plane threads read the two maps, each one volatile read.
 */
final class TrafficControls implements AutoCloseable {
    private final StatsRegistry stats;
    private final AccessLogs logs = new AccessLogs();
    private volatile Map<String, FrontendGuard> guards = Map.of();
    private volatile Map<String, AccessSink> sinks = Map.of();
    private Map<String, FrontendTraffic> applied = Map.of();

    TrafficControls(StatsRegistry stats) {
        this.stats = stats;
    }

    /** Problems only the host can tell: an access-log file whose folder does not exist or cannot be written. */
    static List<Problem> check(ConveyConfig next) {
        List<Problem> problems = new ArrayList<>();
        for (FrontendConfig fe : next.frontends().values()) {
            fe.traffic().accessLog().filter(l -> !l.toStdout()).ifPresent(l -> {
                Path folder = Path.of(l.destination()).getParent();
                if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
                    problems.add(Problem.error("config", 0, "frontends." + fe.name() + ".access_log",
                            "\"" + l.destination() + "\" cannot be written (expected: a file in an existing folder"
                                    + " the daemon may write to)"));
                }
            });
        }
        return problems;
    }

    void update(ConveyConfig next) {
        Map<String, FrontendGuard> nextGuards = new HashMap<>();
        Map<String, AccessSink> nextSinks = new HashMap<>();
        Map<String, AccessLogs.Settings> settings = new LinkedHashMap<>();
        for (FrontendConfig fe : next.frontends().values()) {
            FrontendTraffic traffic = fe.traffic();
            nextGuards.put(fe.name(), guard(fe.name(), traffic));
            traffic.accessLog().ifPresent(l -> {
                AccessLogs.Settings s = new AccessLogs.Settings(l.destination(), l.format() == AccessLogFormat.JSON,
                        l.maxSizeBytes(), l.maxFiles());
                settings.put(fe.name(), s);
                nextSinks.put(fe.name(), logs.sink(fe.name(), fe.backend(), s));
            });
        }
        logs.configure(settings);
        Map<String, FrontendTraffic> now = new HashMap<>();
        next.frontends().values().forEach(fe -> now.put(fe.name(), fe.traffic()));
        applied = now;
        guards = Map.copyOf(nextGuards);
        sinks = Map.copyOf(nextSinks);
    }

    private FrontendGuard guard(String frontend, FrontendTraffic traffic) {
        FrontendGuard old = guards.get(frontend);
        FrontendTraffic before = applied.get(frontend);
        if (!traffic.filters() && traffic.rateLimit().isEmpty()) {
            return FrontendGuard.OPEN;
        }
        AccessList acl = old != null && before != null && before.allow().equals(traffic.allow())
                && before.deny().equals(traffic.deny()) ? old.acl() : AccessList.of(traffic.allow(), traffic.deny());
        RateLimiter limiter = traffic.rateLimit().map(l -> old != null && old.limiter() != null && before != null
                && before.rateLimit().equals(traffic.rateLimit()) ? old.limiter()
                : new RateLimiter(l.perSecond(), l.burst(), l.prefixV4(), l.prefixV6(), l.sources())).orElse(null);
        AdmissionCounters counters = stats.admission(frontend);
        return new FrontendGuard(acl, limiter, counters.refusedByAclAdder(), counters.rateLimitedAdder());
    }

    FrontendGuard guard(String frontend) {
        return guards.getOrDefault(frontend, FrontendGuard.OPEN);
    }

    AccessSink sink(String frontend) {
        return sinks.getOrDefault(frontend, AccessSink.OFF);
    }

    AccessLogs logs() {
        return logs;
    }

    @Override
    public void close() {
        logs.close();
    }
}
