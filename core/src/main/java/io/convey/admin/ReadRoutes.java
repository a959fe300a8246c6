package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.Protocol;
import io.convey.config.SocketAddresses;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import io.convey.engine.FleetSync;
import io.convey.engine.PoolView;
import io.convey.stats.DatagramStats;
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
    private final java.util.Optional<FleetSync> fleet;

    ReadRoutes(Engine engine, ConfigEditor editor, Path configFile, String version, java.util.Optional<FleetSync> fleet) {
        this.fleet = fleet;
        this.engine = engine;
        this.editor = editor;
        this.configFile = configFile;
        this.version = version;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/status", ctx -> ctx.json(status()), Access.VIEWER);
        cfg.routes.get("/api/v1/config", ctx -> {
            ConveyConfig config = engine.config();
            etag(ctx).json(Views.ConfigDocument.of(config));
        }, Access.VIEWER);
        cfg.routes.get("/api/v1/config/toml", ctx -> etag(ctx).contentType("text/plain; charset=utf-8")
                .result(editor.fileText()), Access.VIEWER);
        cfg.routes.get("/api/v1/frontends", ctx -> ctx.json(frontends()), Access.VIEWER);
        cfg.routes.get("/api/v1/backends", ctx -> ctx.json(engine.pools().stream().map(Views.Pool::of).toList()), Access.VIEWER);
        cfg.routes.get("/api/v1/backends/{pool}", ctx -> {
            String name = ctx.pathParam("pool");
            PoolView pool = engine.pools().stream().filter(p -> p.config().name().equals(name)).findFirst()
                    .orElseThrow(() -> ApiErrors.notFound("no pool " + name, "backends." + name, "not found (expected: a pool)"));
            ctx.json(Views.Pool.of(pool));
        }, Access.VIEWER);
        cfg.routes.get("/api/v1/stats/series", ctx -> ctx.json(series(seconds(ctx, MAX_SERIES_SECONDS))), Access.VIEWER);
    }

    private Context etag(Context ctx) {
        return ctx.header("ETag", "\"" + engine.version() + "\"");
    }

    /** {@code GET /api/v1/status}; {@code data_plane} and {@code announce} are the engine's own documents. */
    record Status(String version, String mode, @JsonProperty("started_at") Instant startedAt,
            @JsonProperty("uptime_s") long uptimeS, @JsonProperty("config_file") String configFile,
            @JsonProperty("config_version") long configVersion, @JsonProperty("last_reload") Views.Reload lastReload,
            Views.Counters totals, @JsonProperty("data_plane") Map<String, Object> dataPlane,
            @JsonProperty("notify") Views.Notify webhooks,
            Map<String, Object> announce, Map<String, Object> cluster) {}

    /** One frontend in {@code GET /api/v1/frontends}. */
    record Frontend(String name, @JsonProperty("listen_addr") String listenAddr, @JsonProperty("bound_addr") String boundAddr,
            String backend, Views.Counters counters, String protocol, Views.UdpCounters udp,
            @JsonUnwrapped Views.Preamble preamble, Map<String, Long> refused, TrafficRoutes.Admission admission,
            TrafficRoutes.Settings traffic, @JsonProperty("max_connections") int maxConnections,
            @JsonProperty("refused_full") long refusedFull) {}

    /** {@code GET /api/v1/stats/series}: samples by scope. */
    record Series(@JsonProperty("interval_s") int intervalS, Map<String, List<Views.Sample>> scopes) {}

    private Status status() {
        return new Status(version, engine.mode().id(), engine.startedAt(),
                Duration.between(engine.startedAt(), Instant.now()).toSeconds(), configFile.toString(), engine.version(),
                Views.Reload.of(engine.lastReload()), Views.Counters.of(engine.stats().global().snapshot()),
                engine.dataPlaneDetails(), // transport, or packet counters and drops by reason
                Views.Notify.of(engine.config().notifications(), engine.stats().notifications()),
                engine.announceDetails(), // VIPs announced or not and why, BGP sessions, VRRP state
                fleet.map(FleetSync::details).orElse(null)); // [cluster]: revision, connection, a refused revision
    }

    private List<Frontend> frontends() {
        ConveyConfig config = engine.config();
        Map<String, TrafficCounters> counters = engine.stats().frontends();
        DatagramStats udp = engine.stats().datagrams();
        List<Frontend> out = new ArrayList<>();
        for (FrontendConfig f : config.frontends().values()) {
            InetSocketAddress bound = engine.boundAddress(f.name());
            TrafficCounters c = counters.get(f.name());
            out.add(new Frontend(f.name(), SocketAddresses.format(f.listenAddr()),
                    bound == null ? null : SocketAddresses.format(bound), f.backend(),
                    Views.Counters.of(c == null ? TrafficCounters.Snapshot.ZERO : c.snapshot()), f.protocol().id(),
                    f.protocol() == Protocol.UDP ? Views.UdpCounters.of(udp.frontend(f.name()).snapshot()) : null,
                    Views.Preamble.of(f.preamble()), engine.stats().refusals(f.name()).snapshot(),
                    TrafficRoutes.Admission.of(engine.stats().admissions().get(f.name())),
                    TrafficRoutes.Settings.of(f.traffic()), f.maxConnections(), engine.stats().frontendFull(f.name()).sum()));
        }
        return out;
    }

    private Series series(int seconds) {
        Map<String, List<Views.Sample>> scopes = new LinkedHashMap<>();
        engine.series().series(seconds).forEach((scope, samples) ->
                scopes.put(scope, samples.stream().map(Views.Sample::of).toList()));
        return new Series(1, scopes);
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
