package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document describes exactly the routes the server has registered: none missing, none extra. */
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
}
