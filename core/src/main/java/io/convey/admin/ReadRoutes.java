package io.convey.admin;

import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.SocketAddresses;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import io.convey.engine.PoolView;
import io.convey.stats.TrafficCounters;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only routes: status, the running config and its file, frontends, pools and the stats series. */
final class ReadRoutes {
    /** The series keep 16 minutes; the API offers 15 so that a full window is always available. */
    static final int MAX_SERIES_SECONDS = 900;

    private final Engine engine;
    private final ConfigEditor editor;
    private final Path configFile;
    private final String version;

    ReadRoutes(Engine engine, ConfigEditor editor, Path configFile, String version) {
        this.engine = engine;
        this.editor = editor;
        this.configFile = configFile;
        this.version = version;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/status", ctx -> ctx.json(status()), Access.VIEWER);
        cfg.routes.get("/api/v1/config", ctx -> {
            ConveyConfig config = engine.config();
            etag(ctx).json(Views.config(config));
        }, Access.VIEWER);
        cfg.routes.get("/api/v1/config/toml", ctx -> etag(ctx).contentType("text/plain; charset=utf-8")
                .result(editor.fileText()), Access.VIEWER);
        cfg.routes.get("/api/v1/frontends", ctx -> ctx.json(frontends()), Access.VIEWER);
        cfg.routes.get("/api/v1/backends", ctx -> ctx.json(engine.pools().stream().map(Views::pool).toList()), Access.VIEWER);
        cfg.routes.get("/api/v1/backends/{pool}", ctx -> {
            String name = ctx.pathParam("pool");
            PoolView pool = engine.pools().stream().filter(p -> p.config().name().equals(name)).findFirst()
                    .orElseThrow(() -> ApiErrors.notFound("no pool " + name, "backends." + name, "not found (expected: a pool)"));
            ctx.json(Views.pool(pool));
        }, Access.VIEWER);
        cfg.routes.get("/api/v1/stats/series", ctx -> ctx.json(series(seconds(ctx, MAX_SERIES_SECONDS))), Access.VIEWER);
    }

    private Context etag(Context ctx) {
        return ctx.header("ETag", "\"" + engine.version() + "\"");
    }

    private Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        Instant now = Instant.now();
        m.put("version", version);
        m.put("mode", engine.mode().id());
        m.put("started_at", engine.startedAt());
        m.put("uptime_s", Duration.between(engine.startedAt(), now).toSeconds());
        m.put("config_file", configFile.toString());
        m.put("config_version", engine.version());
        m.put("last_reload", Views.reload(engine.lastReload()));
        m.put("totals", Views.counters(engine.stats().global().snapshot()));
        m.put("data_plane", engine.dataPlaneDetails()); // transport, or packet counters and drops by reason
        m.put("notify", Views.notify(engine.config().notifications(), engine.stats().notifications()));
        m.put("announce", engine.announceDetails()); // VIPs announced or not and why, BGP sessions, VRRP state
        return m;
    }

    private List<Map<String, Object>> frontends() {
        ConveyConfig config = engine.config();
        Map<String, TrafficCounters> counters = engine.stats().frontends();
        List<Map<String, Object>> out = new ArrayList<>();
        for (FrontendConfig f : config.frontends().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            InetSocketAddress bound = engine.boundAddress(f.name());
            m.put("name", f.name());
            m.put("listen_addr", SocketAddresses.format(f.listenAddr()));
            m.put("bound_addr", bound == null ? null : SocketAddresses.format(bound));
            m.put("backend", f.backend());
            TrafficCounters c = counters.get(f.name());
            m.put("counters", Views.counters(c == null ? TrafficCounters.Snapshot.ZERO : c.snapshot()));
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> series(int seconds) {
        Map<String, Object> scopes = new LinkedHashMap<>();
        engine.series().series(seconds).forEach((scope, samples) ->
                scopes.put(scope, samples.stream().map(Views::sample).toList()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interval_s", 1);
        m.put("scopes", scopes);
        return m;
    }

    /** The {@code seconds} query parameter, 1 to {@code max}, default {@code max}. */
    static int seconds(Context ctx, int max) {
        String text = ctx.queryParam("seconds");
        if (text == null) {
            return max;
        }
        long seconds = Requests.number(text, "seconds");
        if (seconds < 1 || seconds > max) {
            throw ApiErrors.badRequest("seconds", seconds + " (expected: 1-" + max + ")");
        }
        return (int) seconds;
    }
}
