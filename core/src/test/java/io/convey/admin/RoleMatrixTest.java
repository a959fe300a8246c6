package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered route, called by anonymous, viewer, operator, admin and a revoked token: the ones below the
 * route's role are refused (401 without a valid credential, 403 with too low a role) with the JSON error shape,
 * and no call at all changes the file or the running version (the bodies and names used are harmless). The route
 * list comes from the server; the expected role of each is written here from the contract, so a new route needs
 * an entry (and an Access declaration) or this test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {
    /** The contract's table (docs/api.md, Access): route → role (none: open; metrics: open unless protect_metrics). */
    static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("GET /stats", "metrics"), Map.entry("GET /metrics", "metrics"),
            Map.entry("POST /api/v1/login", "none"),
            Map.entry("POST /api/v1/logout", "viewer"), Map.entry("GET /api/v1/session", "viewer"),
            Map.entry("POST /api/v1/session/password", "viewer"),
            Map.entry("GET /api/v1/tokens", "viewer"), Map.entry("POST /api/v1/tokens", "viewer"),
            Map.entry("DELETE /api/v1/tokens/{id}", "viewer"),
            Map.entry("GET /api/v1/openapi.json", "viewer"), Map.entry("GET /api/v1/status", "viewer"),
            Map.entry("GET /api/v1/config", "viewer"), Map.entry("GET /api/v1/config/toml", "viewer"),
            Map.entry("GET /api/v1/config/history", "viewer"), Map.entry("GET /api/v1/config/history/{id}", "viewer"),
            Map.entry("GET /api/v1/config/diff", "viewer"), Map.entry("GET /api/v1/frontends", "viewer"),
            Map.entry("GET /api/v1/backends", "viewer"), Map.entry("GET /api/v1/backends/{pool}", "viewer"),
            Map.entry("GET /api/v1/stats/series", "viewer"), Map.entry("GET /api/v1/events", "viewer"),
            Map.entry("GET /api/v1/events/recent", "viewer"),
            Map.entry("GET /api/v1/fleet", "viewer"), Map.entry("GET /api/v1/charts/{chart}", "viewer"),
            Map.entry("GET /api/v1/stats/servers.csv", "viewer"),
            Map.entry("POST /api/v1/backends/{pool}/servers", "operator"),
            Map.entry("PATCH /api/v1/backends/{pool}/servers/{name}", "operator"),
            Map.entry("DELETE /api/v1/backends/{pool}/servers/{name}", "operator"),
            Map.entry("POST /api/v1/backends/{pool}/preview", "operator"), Map.entry("POST /api/v1/probe", "operator"),
            Map.entry("POST /api/v1/config/validate", "operator"),
            Map.entry("POST /api/v1/backends", "admin"), Map.entry("PATCH /api/v1/backends/{pool}", "admin"),
            Map.entry("DELETE /api/v1/backends/{pool}", "admin"), Map.entry("POST /api/v1/frontends", "admin"),
            Map.entry("PATCH /api/v1/frontends/{name}", "admin"), Map.entry("DELETE /api/v1/frontends/{name}", "admin"),
            Map.entry("PUT /api/v1/config", "admin"), Map.entry("POST /api/v1/config/rollback/{id}", "admin"),
            Map.entry("GET /api/v1/users", "admin"), Map.entry("POST /api/v1/users", "admin"),
            Map.entry("PATCH /api/v1/users/{name}", "admin"), Map.entry("DELETE /api/v1/users/{name}", "admin"),
            Map.entry("GET /api/v1/audit", "admin"),
            Map.entry("POST /api/v1/maintenance", "operator"), Map.entry("GET /health", "none"),
            Map.entry("GET /api/v1/access-log", "viewer"), Map.entry("PATCH /api/v1/frontends/{name}/traffic", "admin"));
    private static final List<String> RANKS = List.of("viewer", "operator", "admin");

    private NamedServer a;
    private RunningDaemon daemon;
    private Api api;
    private final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        a = new NamedServer("a");
        daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()));
        api = new Api(daemon);
        tokens.put("viewer", daemon.userToken("vera", "viewer"));
        tokens.put("operator", daemon.userToken("otto", "operator"));
        tokens.put("admin", daemon.token());
        String revoked = daemon.login("admin", daemon.adminPassword(), "soon revoked");
        JsonNode mine = Api.json(new Api(daemon, revoked).get("/api/v1/tokens"));
        String id = null;
        for (JsonNode t : mine) {
            id = t.get("name").asText().equals("soon revoked") ? t.get("id").asText() : id;
        }
        assertThat(api.send("DELETE", "/api/v1/tokens/" + id, null).statusCode()).isEqualTo(204);
        tokens.put("revoked", revoked);
    }

    @AfterAll
    void stop() throws Exception {
        daemon.close();
        a.close();
    }

    @Test
    void everyRegisteredRouteDeclaresTheRoleTheContractGivesIt() {
        assertThat(daemon.daemon().admin().routeRoles()).containsOnlyKeys(EXPECTED.keySet());
        daemon.daemon().admin().routeRoles().forEach((route, role) -> assertThat(role).as(route)
                .startsWith(EXPECTED.get(route).equals("metrics") ? "none (viewer with protect_metrics)" : EXPECTED.get(route)));
        JsonNode openApi = Api.json(api.get("/api/v1/openapi.json"));
        EXPECTED.forEach((route, role) -> {
            String[] parts = route.split(" ", 2);
            JsonNode operation = openApi.at("/paths").get(parts[1]).get(parts[0].toLowerCase(Locale.ROOT));
            assertThat(operation.get("x-required-role").asText()).as(route).startsWith(role.equals("metrics") ? "none" : role);
        });
        assertThat(openApi.at("/components/securitySchemes").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("cookieAuth", "bearerAuth");
    }

    Stream<Arguments> calls() {
        List<Arguments> calls = new ArrayList<>();
        for (String route : EXPECTED.keySet().stream().sorted().toList()) {
            for (String caller : List.of("anonymous", "viewer", "operator", "admin", "revoked")) {
                calls.add(Arguments.of(route, caller));
            }
        }
        return calls.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("calls")
    void aCallerBelowTheRouteRoleIsRefusedAndNothingChanges(String route, String caller) throws Exception {
        String role = EXPECTED.get(route);
        String before = api.fileDigestAndVersion();
        String method = route.split(" ", 2)[0];
        String path = concrete(route.split(" ", 2)[1]);

        Answer answer = call(method, path, harmlessBody(route), tokens.get(caller));

        boolean open = role.equals("none") || role.equals("metrics");
        boolean credential = tokens.containsKey(caller) && !caller.equals("revoked");
        if (open) {
            assertThat(answer.status()).as(answer.body()).isNotIn(401, 403);
        } else if (!credential) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(401);
            assertThat(answer.response().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(Api.JSON.readTree(answer.body()).get("error").asText()).isEqualTo("login required");
        } else if (RANKS.indexOf(caller) < RANKS.indexOf(role)) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(403);
            JsonNode error = Api.JSON.readTree(answer.body());
            assertThat(error.get("error").asText()).isEqualTo("the " + role + " role is required");
            assertThat(error.get("problems").isArray()).isTrue();
        } else {
            assertThat(answer.status()).as(answer.body()).isNotIn(401, 403, 415, 421);
        }
        assertThat(api.fileDigestAndVersion()).as("file digest and running version").isEqualTo(before);
    }

    @Test
    void protectMetricsPutsStatsAndMetricsBehindACredential(@TempDir Path dir) throws Exception {
        try (NamedServer b = new NamedServer("b");
                RunningDaemon guarded = RunningDaemon.start(dir, Configs.onePool("round_robin", "b", b.addr())
                        + "\n[admin]\nprotect_metrics = true\n")) {
            for (String path : List.of("/stats", "/metrics")) {
                assertThat(guarded.send("GET", path, null, null).statusCode()).as(path).isEqualTo(401);
                assertThat(guarded.send("GET", path, guarded.userToken("prom" + path.length(), "viewer"), null)
                        .statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    private record Answer(int status, String body, HttpResponse<?> response) {}

    /** Sends the request; the event stream is read only up to its headers. */
    private Answer call(String method, String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(daemon.adminUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", path.equals("/api/v1/config") || path.endsWith("/validate")
                    ? "application/toml" : "application/json");
        }
        if (path.equals("/api/v1/events")) {
            HttpResponse<InputStream> response = daemon.httpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String text = response.statusCode() == 200 ? "" : new String(response.body().readAllBytes());
            response.body().close();
            return new Answer(response.statusCode(), text, response);
        }
        HttpResponse<String> response = daemon.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** Names that exist nowhere, so that an allowed delete or patch answers 404 and changes nothing. */
    private static String concrete(String template) {
        return template.replace("{pool}", "nope").replace("{name}", "nope").replace("{id}", "999999")
                .replace("{chart}", "traffic.svg") + (template.endsWith("/diff") ? "?from=999998&to=999999" : "");
    }

    /** A body each write route refuses (or, for validate and preview, reads without effect). */
    private static String harmlessBody(String route) {
        return switch (route) {
            case "PUT /api/v1/config" -> "[frontends.f]\nlisten_addr = 3\n";
            case "POST /api/v1/config/validate" -> "[backends.p]\nrise = 0\n";
            default -> route.startsWith("GET ") || route.startsWith("DELETE ") || route.contains("rollback")
                    || route.contains("logout") ? null : "{}";
        };
    }
}
