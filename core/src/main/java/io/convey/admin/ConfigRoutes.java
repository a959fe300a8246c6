package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.convey.config.ConfigHistory;
import io.convey.config.LoadResult;
import io.convey.config.VersionHistory;
import io.convey.config.ConfigEditException;
import io.convey.config.SocketAddresses;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import io.convey.health.ProbeResult;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The whole file: validate, replace, history, diff, rollback; and the one-off probe of an address. */
final class ConfigRoutes {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Engine engine;
    private final ConfigEditor editor;
    private final VersionHistory history;
    private final ObjectMapper mapper;

    ConfigRoutes(Engine engine, ConfigEditor editor, VersionHistory history, ObjectMapper mapper) {
        this.engine = engine;
        this.editor = editor;
        this.history = history;
        this.mapper = mapper;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/config/validate", ctx -> {
            LoadResult result = editor.check(Requests.text(ctx));
            ctx.json(new Validation(result.ok(), Views.ProblemView.of(result.problems())));
        }, Access.OPERATOR);
        cfg.routes.put("/api/v1/config", ctx -> EditRoutes.written(ctx, 200,
                editor.replace(Requests.text(ctx), "api", "config file replaced", Requests.ifMatch(ctx),
                        AccessGuard.caller(ctx).by())), Access.ADMIN);
        cfg.routes.get("/api/v1/config/history", ctx -> ctx.json(history.entries().stream().map(HistoryEntry::of).toList()), Access.VIEWER);
        cfg.routes.get("/api/v1/config/history/{id}", ctx -> ctx.contentType("text/plain; charset=utf-8")
                .result(text(Requests.number(ctx.pathParam("id"), "id"))), Access.VIEWER);
        cfg.routes.get("/api/v1/config/diff", this::diff, Access.VIEWER);
        cfg.routes.post("/api/v1/config/rollback/{id}", ctx -> {
            long id = Requests.number(ctx.pathParam("id"), "id");
            String text = text(id);
            EditRoutes.written(ctx, 200, editor.replace(text, "rollback", "rollback to history #" + id,
                    Requests.ifMatch(ctx), AccessGuard.caller(ctx).by()));
        }, Access.ADMIN);
        cfg.routes.post("/api/v1/probe", this::probe, Access.OPERATOR);
    }

    /** {@code POST /api/v1/config/validate}. */
    record Validation(boolean valid, List<Views.ProblemView> problems) {}

    /** One entry of {@code GET /api/v1/config/history}. */
    record HistoryEntry(long id, @JsonProperty("config_version") long configVersion, Instant at, String source,
            String summary, String by) {
        static HistoryEntry of(ConfigHistory.Entry e) {
            return new HistoryEntry(e.id(), e.configVersion(), e.at(), e.source(), e.summary(), e.by());
        }
    }

    /** {@code POST /api/v1/probe}. */
    record Probe(String addr, boolean reachable, @JsonProperty("latency_ms") double latencyMs, String error) {}

    private String text(long id) throws IOException, ConfigEditException {
        return history.text(id).orElseThrow(() -> ApiErrors.notFound("no history entry " + id, "id",
                id + " (expected: an id listed by GET /api/v1/config/history)"));
    }

    private void diff(Context ctx) throws IOException, ConfigEditException {
        long from = Requests.number(required(ctx, "from"), "from");
        long to = Requests.number(required(ctx, "to"), "to");
        List<String> before = text(from).lines().toList();
        List<String> after = text(to).lines().toList();
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("history/" + from, "history/" + to, before,
                DiffUtils.diff(before, after), 3);
        ctx.contentType("text/plain; charset=utf-8").result(unified.isEmpty() ? "" : String.join("\n", unified) + "\n");
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            throw ApiErrors.badRequest(name, "missing (expected: a history id)");
        }
        return value;
    }

    /** A blocking TCP connect of at most {@link #PROBE_TIMEOUT}, on the Jetty request thread (never an event loop). */
    private void probe(Context ctx) throws IOException {
        ObjectNode body = Requests.object(ctx, mapper, Set.of("addr"));
        String text = Requests.requiredString(body, "addr", "addr");
        InetSocketAddress address;
        try {
            address = SocketAddresses.parse(text);
        } catch (SocketAddresses.InvalidAddressException e) {
            throw new ApiErrors.ApiException(422, "invalid address", List.of(new ApiErrors.ApiProblem("addr", e.getMessage())));
        }
        ProbeResult result = engine.probe(address, PROBE_TIMEOUT);
        ctx.json(new Probe(SocketAddresses.format(address), result.reachable(), result.latency().toNanos() / 1e6,
                result.error()));
    }
}
