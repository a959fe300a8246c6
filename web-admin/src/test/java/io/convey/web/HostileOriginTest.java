package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * While an admin is signed in to the dashboard, a page from another origin (another loopback address, as any web
 * site the operator opens) tries every write route of the API's own OpenAPI document: a simple no-cors fetch with a
 * JSON text/plain body, a preflighted JSON fetch with made-up CSRF headers, an HTML form POST into a hidden frame
 * and an image GET. Everything is refused; the config file, the running version, the users and the tokens are as
 * they were, and the admin is still signed in.
 */
class HostileOriginTest extends DashboardScenario {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A route of the API: method and path template ("/api/v1/backends/{pool}"). */
    record Route(String method, String template) {
    }

    /** The write routes as the OpenAPI document lists them. */
    private static List<Route> writeRoutes(JsonNode openApi) {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : openApi.path("paths").properties()) {
            for (String method : List.of("post", "put", "patch", "delete")) {
                if (path.getValue().has(method)) {
                    routes.add(new Route(method.toUpperCase(Locale.ROOT), path.getKey()));
                }
            }
        }
        return routes;
    }

    /** A body that the route would accept from a signed-in admin (so that only the guard stands in the way). */
    private String body(Route route, String toml, int freePort) {
        String key = route.method() + " " + route.template();
        ObjectNode json = JSON.createObjectNode();
        switch (key) {
            case "PUT /api/v1/config", "POST /api/v1/config/validate" -> {
                return toml;
            }
            case "POST /api/v1/backends/{pool}/servers" -> json.put("name", "evil").put("addr", "127.0.0.1:9");
            case "PATCH /api/v1/backends/{pool}/servers/{name}" -> json.put("weight", 9);
            case "POST /api/v1/backends/{pool}/preview" -> json.putObject("weights").put("a", 9);
            case "POST /api/v1/backends" -> json.put("name", "evil").putObject("servers").putObject("evil").put("addr", "127.0.0.1:9");
            case "PATCH /api/v1/backends/{pool}" -> json.put("algorithm", "maglev");
            case "POST /api/v1/frontends" -> json.put("name", "evil").put("listen_addr", "127.0.0.1:" + freePort).put("backend", "app");
            case "PATCH /api/v1/frontends/{name}" -> json.put("listen_addr", "127.0.0.1:" + freePort);
            case "POST /api/v1/probe" -> json.put("addr", "127.0.0.1:9");
            case "POST /api/v1/login" -> json.put("user", "admin").put("password", "a-guessed-password").put("token_name", "evil");
            case "POST /api/v1/session/password" -> json.put("current_password", "a-guessed-password").put("new_password", "evil-password-123");
            case "POST /api/v1/tokens" -> json.put("name", "evil");
            case "POST /api/v1/users" -> json.put("name", "evil").put("role", "admin").put("password", "evil-password-123");
            case "PATCH /api/v1/users/{name}" -> json.put("role", "admin").put("password", "evil-password-123");
            default -> {
                // bodiless writes (DELETE, rollback, logout)
            }
        }
        return json.toString();
    }

    /** The concrete path: parameters name things that exist, so that a write that got through would change them. */
    private static String path(Route route, Map<String, String> ids) {
        String t = route.template();
        String name = t.startsWith("/api/v1/frontends") ? "web" : t.startsWith("/api/v1/users") ? "vera" : "a";
        String id = t.startsWith("/api/v1/tokens") ? ids.get("token") : ids.get("version1");
        return t.replace("{pool}", "app").replace("{name}", name).replace("{id}", id);
    }

    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>cute cats</title></head>
            <body><h1>Nothing to see here</h1>
            <script>
            const attacks = %s;
            const results = [];
            const frameLoaded = (frame) => new Promise((resolve) => {
              frame.addEventListener('load', resolve, { once: true });
              setTimeout(resolve, 5000);
            });
            async function attack(a, i) {
              // 1. a simple request (no preflight): POST, text/plain, credentials included; its answer is opaque
              try {
                await fetch(a.url, { method: 'POST', mode: 'no-cors', credentials: 'include',
                  headers: { 'Content-Type': 'text/plain' }, body: a.body });
                results.push({ kind: 'simple', url: a.url, outcome: 'sent' });
              } catch (e) {
                results.push({ kind: 'simple', url: a.url, outcome: 'failed ' + e });
              }
              // 2. the real method with JSON and made-up CSRF and version headers: the browser asks first (preflight)
              try {
                const r = await fetch(a.url, { method: a.method, mode: 'cors', credentials: 'include',
                  headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'guessed', 'If-Match': '"1"' },
                  body: a.method === 'DELETE' ? undefined : a.body });
                results.push({ kind: 'preflighted', url: a.url, outcome: 'answered ' + r.status });
              } catch (e) {
                results.push({ kind: 'preflighted', url: a.url, outcome: 'blocked' });
              }
              // 3. a plain HTML form POST into a hidden frame; text/plain encoding makes name=value look like the body
              const frame = document.createElement('iframe');
              frame.name = 'frame' + i;
              frame.style.display = 'none';
              document.body.append(frame);
              const form = document.createElement('form');
              form.method = 'post';
              form.action = a.url;
              form.enctype = 'text/plain';
              form.target = frame.name;
              const input = document.createElement('input');
              input.name = a.formName;
              input.value = a.formValue;
              form.append(input);
              document.body.append(form);
              const loaded = frameLoaded(frame);
              form.submit();
              await loaded;
              results.push({ kind: 'form', url: a.url, outcome: 'submitted' });
              // 4. an image: a GET the page cannot read, with the write's parameters in the query
              await new Promise((resolve) => {
                const img = new Image();
                img.onload = () => { results.push({ kind: 'image', url: a.url, outcome: 'loaded' }); resolve(); };
                img.onerror = () => { results.push({ kind: 'image', url: a.url, outcome: 'error' }); resolve(); };
                img.src = a.url + '?weight=9&state=disabled&role=admin';
              });
            }
            (async () => {
              for (let i = 0; i < attacks.length; i++) await attack(attacks[i], i);
              window.results = results;
              document.title = 'done';
            })();
            </script></body></html>
            """;

    @Test
    void aPageFromAnotherOriginChangesNothingThroughAnyWriteRoute() throws Exception {
        ApplianceApi api = new ApplianceApi(appliance);
        api.createUser("vera", "viewer", "vera's long password");
        String token = api.admin("POST", "/api/v1/tokens", "{\"name\": \"ci\"}").path("id").asText();
        JsonNode history = api.admin("GET", "/api/v1/config/history", null);
        String version1 = StreamSupport.stream(history.spliterator(), false)
                .filter(e -> e.path("config_version").asLong() == 1).findFirst().orElseThrow().path("id").asText();
        List<Route> routes = writeRoutes(api.admin("GET", "/api/v1/openapi.json", null));
        assertThat(routes).extracting(Route::template)
                .contains("/api/v1/backends/{pool}/servers", "/api/v1/config/rollback/{id}", "/api/v1/users", "/api/v1/tokens/{id}");

        open("pools");
        browser.awaitText("tr[data-server='a'] .health", "UP");
        String dashboard = browser.driver().getWindowHandle();
        String toml = originalConfig.replace("weight = 1", "weight = 9");
        String configBefore = ApplianceApi.digest(appliance.config());
        String usersBefore = ApplianceApi.digest(dir.resolve("users.json"));
        long versionBefore = appliance.version();
        JsonNode usersListBefore = api.admin("GET", "/api/v1/users", null);
        JsonNode tokensBefore = ids(api.admin("GET", "/api/v1/tokens?all=true", null));

        ArrayNode attacks = JSON.createArrayNode();
        int port = Tcp.freePort();
        for (Route route : routes) {
            String body = body(route, toml, port);
            ObjectNode attack = attacks.addObject().put("method", route.method())
                    .put("url", appliance.adminUrl() + path(route, Map.of("token", token, "version1", version1)))
                    .put("body", body);
            if (body.startsWith("{") && body.length() > 2) {
                // name=value with the "=" inside a string the server would ignore if it read the body at all
                attack.put("formName", body.substring(0, body.length() - 1) + ",\"x\":\"").put("formValue", "\"}");
            } else {
                // a TOML comment line takes the "=", the text follows on the next lines
                attack.put("formName", "# x").put("formValue", "\n" + body);
            }
        }
        HttpServer hostile = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        byte[] page = PAGE.formatted(attacks.toString()).getBytes(StandardCharsets.UTF_8);
        hostile.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        hostile.start();
        Instant attackStarted = Instant.now();
        List<Map<String, Object>> results;
        try {
            browser.newTab("http://127.0.0.2:" + hostile.getAddress().getPort() + "/");
            browser.await(Duration.ofSeconds(30L + 10L * routes.size()), () -> "the hostile page's attacks to end",
                    d -> "done".equals(d.getTitle()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> answers = (List<Map<String, Object>>) browser.script("return window.results");
            results = answers;
        } finally {
            hostile.stop(0);
        }
        assertThat(results).hasSize(4 * routes.size());
        // no answer to a preflighted write was ever readable: the appliance sends no CORS permission
        assertThat(results).filteredOn(r -> "preflighted".equals(r.get("kind")))
                .allSatisfy(r -> assertThat(r.get("outcome")).as("%s", r.get("url")).isEqualTo("blocked"));

        // nothing changed: the file, the running version, the users, the tokens; the admin is still signed in
        assertThat(ApplianceApi.digest(appliance.config())).isEqualTo(configBefore);
        assertThat(appliance.version()).isEqualTo(versionBefore);
        assertThat(ApplianceApi.digest(dir.resolve("users.json"))).isEqualTo(usersBefore);
        assertThat(api.admin("GET", "/api/v1/users", null)).isEqualTo(usersListBefore);
        assertThat(ids(api.admin("GET", "/api/v1/tokens?all=true", null))).isEqualTo(tokensBefore);
        assertThat(appliance.configText()).doesNotContain("evil").doesNotContain("weight = 9");
        // the simple requests and the forms reached the appliance and were refused there, before any body was read
        List<JsonNode> audit = StreamSupport.stream(api.admin("GET", "/api/v1/audit?limit=1000", null).spliterator(), false)
                .filter(e -> !Instant.parse(e.path("at").asText()).isBefore(attackStarted))
                .filter(e -> !e.path("path").asText().equals("/api/v1/audit")).toList();
        assertThat(audit).noneMatch(e -> e.path("outcome").asText().equals("accepted"));
        for (JsonNode attack : attacks) {
            String path = URI.create(attack.path("url").asText()).getPath();
            assertThat(audit).as("refusals of %s", path).filteredOn(e -> e.path("path").asText().equals(path)
                    && e.path("method").asText().equals("POST") && e.path("status").asInt() == 403
                    && e.path("outcome").asText().equals("refused")).hasSizeGreaterThanOrEqualTo(2);
        }
        browser.switchTo(dashboard);
        assertThat(browser.asyncScript("const done = arguments[0]; fetch('/api/v1/session').then((r) => done(r.status));"))
                .isEqualTo(200L);
        assertThat(browser.find("#user-role").getText()).isEqualTo("admin");
    }

    private static JsonNode ids(JsonNode tokens) {
        ArrayNode ids = JSON.createArrayNode();
        tokens.forEach(t -> ids.add(t.path("id").asText() + " " + t.path("name").asText()));
        return ids;
    }
}
