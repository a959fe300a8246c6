package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document describes exactly the routes the server has registered (none missing, none extra), and the
 * schemas of the JSON answers list the keys the routes answer, in their order, with their types.
 */
class OpenApiCompletenessTest {

    @Test
    void everyRegisteredRouteIsDescribedAndNothingElse(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            JsonNode doc = Api.json(new Api(daemon).get("/api/v1/openapi.json"));
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
            Set<String> described = new HashSet<>();
            doc.get("paths").properties().forEach(path -> path.getValue().fieldNames()
                    .forEachRemaining(method -> described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

            Set<String> registered = new HashSet<>(daemon.daemon().admin().routes());

            assertThat(registered).contains("GET /api/v1/events", "PATCH /api/v1/backends/{pool}/servers/{name}");
            assertThat(described).containsExactlyInAnyOrderElementsOf(registered);
        }
    }

    @Test
    void theSchemasListTheKeysTheRoutesAnswerInTheirOrder(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api api = new Api(daemon);
            await().until(() -> Api.json(api.get("/api/v1/backends/p")).at("/servers/0/health/history").size() > 0);
            assertThat(api.send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 2}").statusCode()).isEqualTo(200);
            JsonNode doc = Api.json(api.get("/api/v1/openapi.json"));
            Map<String, String> routes = new LinkedHashMap<>();
            for (String route : List.of("/stats", "/api/v1/status", "/api/v1/config", "/api/v1/frontends", "/api/v1/backends",
                    "/api/v1/stats/series", "/api/v1/config/history", "/api/v1/events/recent", "/api/v1/session",
                    "/api/v1/tokens", "/api/v1/users", "/health")) {
                routes.put(route, route);
            }
            routes.put("/api/v1/backends/{pool}", "/api/v1/backends/p");
            routes.forEach((route, path) -> {
                JsonNode schema = doc.at("/paths").get(route).at("/get/responses/200/content/application~1json/schema");
                assertThat(schema.isMissingNode()).as(route + " has a schema").isFalse();
                matches(doc, schema, Api.json(api.get(path)), route);
            });
        }
    }

    /** {@code node} has the keys {@code schema} lists, in its order (an open schema allows more at the end). */
    private static void matches(JsonNode doc, JsonNode reference, JsonNode node, String where) {
        JsonNode schema = reference.has("$ref") ? doc.at(reference.get("$ref").asText().substring(1)) : reference;
        if (node.isNull() || schema.has("oneOf")) {
            return;
        }
        if (schema.has("properties")) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            List<String> listed = new ArrayList<>();
            schema.get("properties").fieldNames().forEachRemaining(listed::add);
            if (schema.get("additionalProperties").asBoolean()) {
                assertThat(keys).as(where).startsWith(listed.toArray(String[]::new));
            } else {
                assertThat(keys).as(where).containsExactlyElementsOf(listed);
            }
            for (String key : listed) {
                matches(doc, schema.get("properties").get(key), node.get(key), where + "." + key);
            }
        } else if (schema.path("type").asText().equals("array")) {
            node.forEach(element -> matches(doc, schema.get("items"), element, where + "[]"));
        } else if (schema.has("additionalProperties") && schema.get("additionalProperties").isObject()) {
            JsonNode values = schema.get("additionalProperties");
            node.properties().forEach(e -> matches(doc, values, e.getValue(), where + "." + e.getKey()));
        } else {
            String type = schema.path("type").asText();
            assertThat(type).as(where + " " + node).isEqualTo(switch (node.getNodeType()) {
                case NUMBER -> node.isIntegralNumber() ? "integer" : "number";
                case STRING -> "string";
                case BOOLEAN -> "boolean";
                default -> "object";
            });
        }
    }
}
