package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convey.config.ConfigWord;
import io.convey.config.ConfigChange;
import io.convey.config.ConfigChange.PoolFields;
import io.convey.config.ConfigChange.ServerFields;
import io.convey.config.ConfigEditException;
import io.convey.config.ServerConfig;
import io.convey.config.ServerState;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import io.convey.engine.PoolView;
import io.convey.engine.WhatIf;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes to servers, pools and frontends, and the what-if preview of a pool's weights. */
final class EditRoutes {
    private static final Set<String> SERVER_FIELDS = Set.of("addr", "weight", "state", "max_connections");
    private static final Set<String> NEW_SERVER_FIELDS = union(SERVER_FIELDS, Set.of("name"));
    private static final Set<String> POOL_FIELDS = Set.of("algorithm", "health_check_interval_ms",
            "health_check_timeout_ms", "rise", "fall", "connect_timeout_ms", "idle_timeout_s", "health_check",
            "health_check_port", "send_proxy", "queue_size", "queue_timeout_ms", "slow_start_s", "observe",
            "persistence_timeout_s", "half_close");
    private static final Set<String> NEW_POOL_FIELDS = union(POOL_FIELDS, Set.of("name", "servers"));
    private static final Set<String> UDP_FIELDS = Set.of("protocol", "udp_idle_timeout_s", "udp_responses",
            "udp_max_sessions");
    private static final Set<String> PREAMBLE_FIELDS = Set.of("accept_proxy", "accept_proxy_timeout_ms", "sni",
            "sni_mismatch", "sni_timeout_ms");
    private static final Set<String> FRONTEND_FIELDS = union(union(Set.of("listen_addr", "backend", "max_connections"),
            UDP_FIELDS), PREAMBLE_FIELDS);
    private static final Set<String> NEW_FRONTEND_FIELDS = union(FRONTEND_FIELDS, Set.of("name"));

    private final Engine engine;
    private final ConfigEditor editor;
    private final ObjectMapper mapper;

    EditRoutes(Engine engine, ConfigEditor editor, ObjectMapper mapper) {
        this.engine = engine;
        this.editor = editor;
        this.mapper = mapper;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/backends/{pool}/servers", ctx -> {
            String pool = ctx.pathParam("pool");
            ObjectNode body = Requests.object(ctx, mapper, NEW_SERVER_FIELDS);
            String name = Requests.requiredString(body, "name", "name");
            edit(ctx, 201, new ConfigChange.AddServer(pool, name, serverFields(body, pool, name)));
        }, Access.OPERATOR);
        cfg.routes.patch("/api/v1/backends/{pool}/servers/{name}", ctx -> {
            String pool = ctx.pathParam("pool");
            String name = ctx.pathParam("name");
            ObjectNode body = Requests.object(ctx, mapper, SERVER_FIELDS);
            edit(ctx, 200, new ConfigChange.UpdateServer(pool, name, serverFields(body, pool, name)));
        }, Access.OPERATOR);
        cfg.routes.delete("/api/v1/backends/{pool}/servers/{name}", ctx ->
                edit(ctx, 200, new ConfigChange.RemoveServer(ctx.pathParam("pool"), ctx.pathParam("name"))), Access.OPERATOR);
        cfg.routes.post("/api/v1/backends/{pool}/preview", this::preview, Access.OPERATOR);
        cfg.routes.post("/api/v1/backends", ctx -> {
            ObjectNode body = Requests.object(ctx, mapper, NEW_POOL_FIELDS);
            String name = Requests.requiredString(body, "name", "name");
            edit(ctx, 201, new ConfigChange.AddPool(name, poolFields(body, name), servers(body, name)));
        }, Access.ADMIN);
        cfg.routes.patch("/api/v1/backends/{pool}", ctx -> {
            String pool = ctx.pathParam("pool");
            ObjectNode body = Requests.object(ctx, mapper, POOL_FIELDS);
            edit(ctx, 200, new ConfigChange.UpdatePool(pool, poolFields(body, pool)));
        }, Access.ADMIN);
        cfg.routes.delete("/api/v1/backends/{pool}", ctx ->
                edit(ctx, 200, new ConfigChange.RemovePool(ctx.pathParam("pool"))), Access.ADMIN);
        cfg.routes.post("/api/v1/frontends", ctx -> {
            ObjectNode body = Requests.object(ctx, mapper, NEW_FRONTEND_FIELDS);
            String name = Requests.requiredString(body, "name", "name");
            String path = "frontends." + name;
            edit(ctx, 201, new ConfigChange.AddFrontend(name, Requests.string(body, "listen_addr", path + ".listen_addr"),
                    Requests.string(body, "backend", path + ".backend"), udpFields(body, path), preambleFields(body, path),
                    Requests.integer(body, "max_connections", path + ".max_connections")));
        }, Access.ADMIN);
        cfg.routes.patch("/api/v1/frontends/{name}", ctx -> {
            String name = ctx.pathParam("name");
            ObjectNode body = Requests.object(ctx, mapper, FRONTEND_FIELDS);
            String path = "frontends." + name;
            edit(ctx, 200, new ConfigChange.UpdateFrontend(name, Requests.string(body, "listen_addr", path + ".listen_addr"),
                    Requests.string(body, "backend", path + ".backend"), udpFields(body, path), preambleFields(body, path),
                    Requests.integer(body, "max_connections", path + ".max_connections")));
        }, Access.ADMIN);
        cfg.routes.delete("/api/v1/frontends/{name}", ctx ->
                edit(ctx, 200, new ConfigChange.RemoveFrontend(ctx.pathParam("name"))), Access.ADMIN);
    }

    private void edit(Context ctx, int status, ConfigChange change) throws ConfigEditException {
        ConfigEditor.Result result = editor.edit(change, Requests.ifMatch(ctx), AccessGuard.caller(ctx).by());
        written(ctx, status, result);
    }

    /** The answer to every successful write. */
    record Written(@JsonProperty("config_version") long configVersion, String summary) {}

    /** {@code POST /api/v1/backends/{pool}/preview}: the shares the weights would give, and the flows that would move. */
    record Preview(Map<String, Double> shares, @JsonProperty("moved_fraction") Double movedFraction) {}

    /** The answer to every successful write: the running version (also as ETag) and what changed. */
    static void written(Context ctx, int status, ConfigEditor.Result result) {
        AccessGuard.summary(ctx, result.summary());
        ctx.status(status).header("ETag", "\"" + result.configVersion() + "\"")
                .json(new Written(result.configVersion(), result.summary()));
    }

    private static ServerFields serverFields(JsonNode body, String pool, String name) {
        String path = "backends." + pool + ".servers." + name;
        return new ServerFields(Requests.string(body, "addr", path + ".addr"),
                Requests.integer(body, "weight", path + ".weight"), Requests.string(body, "state", path + ".state"),
                Requests.integer(body, "max_connections", path + ".max_connections"));
    }

    private static PoolFields poolFields(JsonNode body, String pool) {
        String path = "backends." + pool + ".";
        return new PoolFields(Requests.string(body, "algorithm", path + "algorithm"),
                Requests.integer(body, "health_check_interval_ms", path + "health_check_interval_ms"),
                Requests.integer(body, "health_check_timeout_ms", path + "health_check_timeout_ms"),
                Requests.integer(body, "rise", path + "rise"), Requests.integer(body, "fall", path + "fall"),
                Requests.integer(body, "connect_timeout_ms", path + "connect_timeout_ms"),
                Requests.integer(body, "idle_timeout_s", path + "idle_timeout_s"),
                Requests.string(body, "health_check", path + "health_check"),
                Requests.integer(body, "health_check_port", path + "health_check_port"),
                Requests.string(body, "send_proxy", path + "send_proxy"),
                new ConfigChange.PoolTrafficFields(Requests.integer(body, "queue_size", path + "queue_size"),
                        Requests.integer(body, "queue_timeout_ms", path + "queue_timeout_ms"),
                        Requests.integer(body, "slow_start_s", path + "slow_start_s"),
                        Requests.bool(body, "observe", path + "observe"),
                        Requests.integer(body, "persistence_timeout_s", path + "persistence_timeout_s"),
                        Requests.bool(body, "half_close", path + "half_close")));
    }

    private static ConfigChange.UdpFields udpFields(JsonNode body, String path) {
        return new ConfigChange.UdpFields(Requests.string(body, "protocol", path + ".protocol"),
                Requests.integer(body, "udp_idle_timeout_s", path + ".udp_idle_timeout_s"),
                Requests.integer(body, "udp_responses", path + ".udp_responses"),
                Requests.integer(body, "udp_max_sessions", path + ".udp_max_sessions"));
    }

    private static ConfigChange.PreambleFields preambleFields(JsonNode body, String path) {
        return new ConfigChange.PreambleFields(Requests.bool(body, "accept_proxy", path + ".accept_proxy"),
                Requests.integer(body, "accept_proxy_timeout_ms", path + ".accept_proxy_timeout_ms"),
                Requests.stringMap(body, "sni", path + ".sni"),
                Requests.string(body, "sni_mismatch", path + ".sni_mismatch"),
                Requests.integer(body, "sni_timeout_ms", path + ".sni_timeout_ms"));
    }

    private static Map<String, ServerFields> servers(JsonNode body, String pool) {
        JsonNode servers = body.get("servers");
        Map<String, ServerFields> out = new LinkedHashMap<>();
        if (servers == null) {
            return out;
        }
        if (!servers.isObject()) {
            throw ApiErrors.badRequest("backends." + pool + ".servers", servers + " (expected: an object of servers by name)");
        }
        for (var entry : servers.properties()) {
            String path = "backends." + pool + ".servers." + entry.getKey();
            if (!entry.getValue().isObject()) {
                throw ApiErrors.badRequest(path, entry.getValue() + " (expected: {addr, weight?, state?, max_connections?})");
            }
            entry.getValue().fieldNames().forEachRemaining(f -> {
                if (!SERVER_FIELDS.contains(f)) {
                    throw ApiErrors.badRequest(path + "." + f, "unknown field (expected one of: addr, max_connections, state, weight)");
                }
            });
            out.put(entry.getKey(), serverFields(entry.getValue(), pool, entry.getKey()));
        }
        return out;
    }

    private void preview(Context ctx) throws IOException {
        String pool = ctx.pathParam("pool");
        PoolView view = engine.pools().stream().filter(p -> p.config().name().equals(pool)).findFirst()
                .orElseThrow(() -> ApiErrors.notFound("no pool " + pool, "backends." + pool, "not found (expected: a pool)"));
        ObjectNode body = Requests.object(ctx, mapper, Set.of("weights", "states"));
        Set<String> names = view.servers().stream().map(PoolView.ServerView::name)
                .collect(java.util.stream.Collectors.toSet());
        Map<String, Integer> weights = new LinkedHashMap<>();
        Map<String, ServerState> states = new LinkedHashMap<>();
        for (var e : objectField(body, "weights").properties()) {
            String path = requireServer(names, pool, e.getKey()) + ".weight";
            Long weight = Requests.integer(body.get("weights"), e.getKey(), path);
            if (weight == null || weight < 0 || weight > ServerConfig.MAX_WEIGHT) {
                throw unprocessable(path, weight + " (expected: 0-" + ServerConfig.MAX_WEIGHT + ")");
            }
            weights.put(e.getKey(), weight.intValue());
        }
        for (var e : objectField(body, "states").properties()) {
            String path = requireServer(names, pool, e.getKey()) + ".state";
            String id = Requests.string(body.get("states"), e.getKey(), path);
            states.put(e.getKey(), ConfigWord.fromId(ServerState.class, String.valueOf(id)).orElseThrow(() ->
                    unprocessable(path, "\"" + id + "\" (expected: one of " + ConfigWord.ids(ServerState.class) + ")")));
        }
        WhatIf whatIf = WhatIf.of(view, weights, states);
        ctx.json(new Preview(whatIf.shares(), whatIf.movedFraction()));
    }

    private static String requireServer(Set<String> names, String pool, String server) {
        String path = "backends." + pool + ".servers." + server;
        if (!names.contains(server)) {
            throw ApiErrors.notFound("no server " + pool + "/" + server, path, "not found (expected: a server of the pool)");
        }
        return path;
    }

    private static ApiErrors.ApiException unprocessable(String path, String message) {
        return new ApiErrors.ApiException(422, "the preview asks for invalid values",
                List.of(new ApiErrors.ApiProblem(path, message)));
    }

    private static JsonNode objectField(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw ApiErrors.badRequest(field, node + " (expected: an object by server name)");
        }
        return node;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(java.util.stream.Collectors.toSet());
    }
}
