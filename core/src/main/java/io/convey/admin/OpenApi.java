package io.convey.admin;

import io.javalin.config.JavalinConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of every route. Summaries and bodies are
 * written by hand from docs/api.md, deliberately not generated from the registered routes, so that a test
 * comparing the two catches a route added without its description (or described but gone); the schemas of
 * the JSON answers come from the records the routes answer with ({@link RecordSchemas}). The role each
 * operation needs ({@code x-required-role}, and its {@code security}) comes from the routes' own
 * {@link Access} declarations, the ones {@link AccessGuard} enforces, so the two cannot drift.
 */
final class OpenApi {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{(\\w+)}");

    /** One operation: how it is called and what it answers. */
    record Operation(String method, String path, String summary, Body request, Body response, int status) {}

    /**
     * A body's media type and a short description of its shape; JSON answers name the record Jackson writes
     * ({@code list}: an array of them), from which {@link RecordSchemas} derives the schema.
     */
    record Body(String mediaType, String description, Class<?> schema, boolean list) {
        Body(String mediaType, String description) {
            this(mediaType, description, null, false);
        }

        static Body json(Class<?> record) {
            return new Body("application/json", "see the schema", record, false);
        }

        static Body jsonList(Class<?> record) {
            return new Body("application/json", "see the schema", record, true);
        }
    }

    private static final Body JSON = new Body("application/json", "JSON object, see docs/api.md");
    private static final Body WRITE = new Body("application/json", "{config_version, summary}", EditRoutes.Written.class, false);
    private static final Body TOML = new Body("application/toml", "a whole Convey TOML file");
    private static final Body NONE = new Body("application/json", "no content (204)");
    private static final Body TEXT = new Body("text/plain", "text");

    static final List<Operation> OPERATIONS = List.of(
            new Operation("get", "/stats", "The original convey's stats document", null, Body.json(AdminServer.StatsDocument.class), 200),
            new Operation("get", "/metrics", "Prometheus metrics", null, new Body("text/plain", "Prometheus text format"), 200),
            new Operation("get", "/api/v1/openapi.json", "This description", null, JSON, 200),
            new Operation("get", "/api/v1/status", "Version, mode, uptime, config version, last reload, totals", null, Body.json(ReadRoutes.Status.class), 200),
            new Operation("post", "/api/v1/maintenance", "Put the appliance in maintenance {on: true} (VIPs withdrawn or"
                    + " drained) or take it out {on: false}", JSON, Body.json(AnnounceRoutes.Maintenance.class), 200),
            new Operation("get", "/health", "200 while this appliance should hold its VIPs, 503 in maintenance or"
                    + " without an eligible server (keepalived's check)", null,
                    Body.json(AnnounceRoutes.Health.class), 200),
            new Operation("get", "/api/v1/config", "The running configuration (ETag: its version)", null, Body.json(Views.ConfigDocument.class), 200),
            new Operation("put", "/api/v1/config", "Replace the whole config file (validated, applied, recorded)", TOML, WRITE, 200),
            new Operation("get", "/api/v1/config/toml", "The config file's text (ETag: the running version)", null, TEXT, 200),
            new Operation("post", "/api/v1/config/validate", "Validate TOML text without applying it", TOML,
                    Body.json(ConfigRoutes.Validation.class), 200),
            new Operation("get", "/api/v1/config/history", "Recorded versions, newest first", null,
                    Body.jsonList(ConfigRoutes.HistoryEntry.class), 200),
            new Operation("get", "/api/v1/config/history/{id}", "The TOML text of a recorded version", null, TEXT, 200),
            new Operation("get", "/api/v1/config/diff", "Unified diff between two recorded versions (?from=&to=)", null,
                    new Body("text/plain", "unified diff"), 200),
            new Operation("post", "/api/v1/config/rollback/{id}", "Restore a recorded version byte-for-byte", null, WRITE, 200),
            new Operation("get", "/api/v1/frontends", "Frontends with bound address and counters", null, Body.jsonList(ReadRoutes.Frontend.class), 200),
            new Operation("post", "/api/v1/frontends", "Add a frontend {name, listen_addr, backend, protocol?, udp_idle_timeout_s?, udp_responses?, udp_max_sessions?, accept_proxy?, accept_proxy_timeout_ms?, sni?, sni_mismatch?, sni_timeout_ms?, max_connections?}", JSON, WRITE, 201),
            new Operation("patch", "/api/v1/frontends/{name}", "Change a frontend's listen_addr, backend, protocol, UDP settings, accept_proxy, accept_proxy_timeout_ms, sni (the whole map; {} removes it), sni_mismatch, sni_timeout_ms or max_connections", JSON, WRITE, 200),
            new Operation("delete", "/api/v1/frontends/{name}", "Remove a frontend (established connections finish)", null, WRITE, 200),
            new Operation("patch", "/api/v1/frontends/{name}/traffic", "Change a frontend's allow/deny lists, rate limit"
                    + " or access log {allow?, deny?, rate_limit?, ..., access_log?, ...}", JSON, WRITE, 200),
            new Operation("get", "/api/v1/access-log", "The latest access-log entries, newest first"
                    + " (?client=&server=&frontend=&limit=1-1000)", null, Body.json(TrafficRoutes.Page.class), 200),
            new Operation("get", "/api/v1/backends", "Every pool with servers, health and counters", null, Body.jsonList(Views.Pool.class), 200),
            new Operation("post", "/api/v1/backends", "Add a pool {name, algorithm?, ..., servers: {name: {addr, weight?, state?}}}",
                    JSON, WRITE, 201),
            new Operation("get", "/api/v1/backends/{pool}", "One pool with servers, health and counters", null, Body.json(Views.Pool.class), 200),
            new Operation("patch", "/api/v1/backends/{pool}", "Change a pool's algorithm, health check, timeouts, send_proxy, queue"
                    + " (queue_size, queue_timeout_ms), slow_start_s, observe, persistence_timeout_s or half_close", JSON, WRITE, 200),
            new Operation("delete", "/api/v1/backends/{pool}", "Remove a pool no frontend uses", null, WRITE, 200),
            new Operation("post", "/api/v1/backends/{pool}/servers", "Add a server {name, addr, weight?, state?, max_connections?}", JSON, WRITE, 201),
            new Operation("patch", "/api/v1/backends/{pool}/servers/{name}", "Change a server's weight, state, addr or max_connections", JSON,
                    WRITE, 200),
            new Operation("delete", "/api/v1/backends/{pool}/servers/{name}", "Remove a server (its connections finish)", null,
                    WRITE, 200),
            new Operation("post", "/api/v1/backends/{pool}/preview", "What-if shares for other weights or states", JSON,
                    Body.json(EditRoutes.Preview.class), 200),
            new Operation("post", "/api/v1/probe", "One-off TCP connect from the appliance {addr}", JSON,
                    Body.json(ConfigRoutes.Probe.class), 200),
            new Operation("get", "/api/v1/stats/series", "Per-second samples of every scope (?seconds=1-900)", null, Body.json(ReadRoutes.Series.class), 200),
            new Operation("get", "/api/v1/stats/servers.csv", "Every server's counters, health and downtime as CSV (one"
                    + " line per server)", null, new Body("text/csv", "CSV with a header line"), 200),
            new Operation("get", "/api/v1/events", "Server-Sent Events: stats, health, config, config_rejected", null,
                    new Body("text/event-stream", "event stream"), 200),
            new Operation("get", "/api/v1/events/recent", "Recent config and health events, for chart markers (?seconds=)",
                    null, Body.json(EventRoutes.Recent.class), 200),
            new Operation("get", "/api/v1/fleet", "The fleet ([cluster]): members, the revision each runs, drift, health"
                    + " disagreements; 404 without [cluster]", null, Body.json(FleetRoutes.Fleet.class), 200),
            new Operation("get", "/api/v1/charts/{chart}", "traffic.png, traffic.svg, connections.png or connections.svg"
                    + " (?scope=appliance&seconds=900)", null, new Body("image/png", "PNG or SVG image"), 200),
            new Operation("post", "/api/v1/login", "Log in {user, password, token_name?}: a session cookie, or a new API"
                    + " token when token_name is given", JSON, new Body("application/json",
                    "{user, role, csrf_token, idle_timeout_s, expires_at} or (201) {user, role, token, id, name, created_at}"), 200),
            new Operation("post", "/api/v1/logout", "End this session", null, NONE, 204),
            new Operation("get", "/api/v1/session", "Who is calling", null,
                    Body.json(AuthRoutes.SessionView.class), 200),
            new Operation("post", "/api/v1/session/password", "Change your own password {current_password, new_password}",
                    JSON, NONE, 204),
            new Operation("get", "/api/v1/tokens", "Your API tokens (?all=true: everyone's, admin)", null,
                    Body.jsonList(AuthRoutes.TokenView.class), 200),
            new Operation("post", "/api/v1/tokens", "Make an API token {name}; its secret is shown once", JSON,
                    new Body("application/json", "{id, name, user, token, created_at}"), 201),
            new Operation("delete", "/api/v1/tokens/{id}", "Revoke a token (your own; an admin: any)", null, NONE, 204),
            new Operation("get", "/api/v1/users", "Users and their roles", null,
                    Body.jsonList(AuthRoutes.UserView.class), 200),
            new Operation("post", "/api/v1/users", "Add a user {name, role, password}", JSON,
                    new Body("application/json", "{name, role, created_at}"), 201),
            new Operation("patch", "/api/v1/users/{name}", "Change a user's role or password {role?, password?}", JSON,
                    new Body("application/json", "{name, role, created_at}"), 200),
            new Operation("delete", "/api/v1/users/{name}", "Remove a user (and their tokens)", null, NONE, 204),
            new Operation("get", "/api/v1/audit", "The audit log, newest first (?limit=1-1000)", null,
                    new Body("application/json", "[{at, user, via, from, method, path, status, outcome, summary}]"), 200));

    private final String version;
    private final Supplier<Map<String, Access>> declared;
    private volatile Map<String, Object> document;

    /** @param declared the server's routes and their declared access, once it has started */
    OpenApi(String version, Supplier<Map<String, Access>> declared) {
        this.version = version;
        this.declared = declared;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/openapi.json", ctx -> ctx.json(document()), Access.VIEWER);
    }

    private Map<String, Object> document() {
        Map<String, Object> doc = document;
        if (doc == null) {
            doc = build(version, declared.get()); // built once, after every route is registered
            document = doc;
        }
        return doc;
    }

    private static Map<String, Object> build(String version, Map<String, Access> declared) {
        Map<String, Object> paths = new LinkedHashMap<>();
        RecordSchemas schemas = new RecordSchemas();
        for (Operation op : OPERATIONS) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(op.path(), p -> new LinkedHashMap<>());
            Access access = declared.get(op.method().toUpperCase(java.util.Locale.ROOT) + " " + op.path());
            item.put(op.method(), operation(op, access, schemas));
        }
        Map<String, Object> problem = Map.of("type", "object", "properties", Map.of(
                "path", Map.of("type", "string"), "message", Map.of("type", "string")));
        Map<String, Object> error = Map.of("type", "object", "required", List.of("error", "problems"), "properties", Map.of(
                "error", Map.of("type", "string"), "problems", Map.of("type", "array", "items", problem)));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Convey admin API", "version", version,
                "description", "Every route but login (and /stats, /metrics unless [admin] protect_metrics) needs a"
                        + " credential: the session cookie from POST /api/v1/login (writes also send X-CSRF-Token and"
                        + " Origin), or Authorization: Bearer <API token>. x-required-role gives each operation's role."));
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>(schemas.schemas());
        components.put("Error", error);
        doc.put("components", Map.of("schemas", components, "securitySchemes", Map.of(
                "cookieAuth", Map.of("type", "apiKey", "in", "cookie", "name", AccessGuard.SESSION_COOKIE,
                        "description", "from POST /api/v1/login; writes also need X-CSRF-Token and a same-origin Origin"),
                "bearerAuth", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "cvy_ API token"))));
        return doc;
    }

    private static Map<String, Object> operation(Operation op, Access access, RecordSchemas schemas) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", op.summary());
        String role = access == null ? "undeclared" : access.id();
        m.put("x-required-role", role);
        m.put("security", access == Access.OPEN ? List.of()
                : access == Access.METRICS ? List.of(Map.of(), Map.of("cookieAuth", List.of()), Map.of("bearerAuth", List.of()))
                : List.of(Map.of("cookieAuth", List.of()), Map.of("bearerAuth", List.of())));
        List<Object> parameters = new ArrayList<>();
        Matcher matcher = PATH_PARAM.matcher(op.path());
        while (matcher.find()) {
            parameters.add(Map.of("name", matcher.group(1), "in", "path", "required", true,
                    "schema", Map.of("type", "string")));
        }
        if (!op.method().equals("get")) {
            parameters.add(Map.of("name", "If-Match", "in", "header", "required", false,
                    "description", "the config version the change is based on; a stale one answers 412",
                    "schema", Map.of("type", "string")));
        }
        m.put("parameters", parameters);
        if (op.request() != null) {
            m.put("requestBody", Map.of("required", true, "description", op.request().description(),
                    "content", Map.of(op.request().mediaType(), Map.of())));
        }
        Map<String, Object> errorContent = Map.of("application/json",
                Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));
        m.put("responses", Map.of(
                String.valueOf(op.status()), Map.of("description", op.response().description(),
                        "content", Map.of(op.response().mediaType(), responseSchema(op.response(), schemas))),
                "4XX", Map.of("description", "error: nothing changed", "content", errorContent)));
        return m;
    }

    private static Map<String, Object> responseSchema(Body body, RecordSchemas schemas) {
        if (body.schema() == null) {
            return Map.of();
        }
        Map<String, Object> schema = schemas.of(body.schema());
        return Map.of("schema", body.list() ? Map.of("type", "array", "items", schema) : schema);
    }
}
