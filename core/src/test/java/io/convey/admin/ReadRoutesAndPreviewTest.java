package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read routes answer the documented shapes, and a preview computes shares without applying anything. */
class ReadRoutesAndPreviewTest {

    @Test
    void readsAnswerTheDocumentedShapes(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("maglev", "a", a.addr(), "b", b.addr()))) {
            Api api = new Api(daemon);
            await().until(() -> Api.json(api.get("/api/v1/backends/p")).at("/servers/1/health/checked").asBoolean());

            JsonNode status = Api.json(api.get("/api/v1/status"));
            assertThat(status.get("mode").asText()).isEqualTo("proxy");
            assertThat(status.get("config_version").asLong()).isEqualTo(1);
            assertThat(status.at("/last_reload/ok").asBoolean()).isTrue();
            assertThat(status.at("/totals").fieldNames()).toIterable()
                    .containsExactly("total_connections", "current_connections", "bytes_tx", "bytes_rx");

            var config = api.get("/api/v1/config");
            assertThat(config.headers().firstValue("ETag")).hasValue("\"1\"");
            assertThat(Api.json(config).at("/backends/p/servers/a/addr").asText()).isEqualTo(a.addr());
            assertThat(Api.json(config).at("/frontends/f/listen_addr").asText()).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
            assertThat(api.get("/api/v1/config/toml").body()).isEqualTo(api.fileText());

            JsonNode frontends = Api.json(api.get("/api/v1/frontends"));
            assertThat(frontends.at("/0/bound_addr").asText())
                    .isEqualTo("127.0.0.1:" + daemon.frontend("f").getPort());
            JsonNode pool = Api.json(api.get("/api/v1/backends/p"));
            assertThat(pool.get("algorithm").asText()).isEqualTo("maglev");
            assertThat(pool.at("/servers/0/expected_share").asDouble()).isCloseTo(0.5, within(0.01));
            assertThat(pool.at("/servers/0/health/up").asBoolean()).isTrue();
            assertThat(Api.json(api.get("/api/v1/backends"))).hasSize(1);
            assertThat(api.get("/api/v1/backends/nope").statusCode()).isEqualTo(404);
            assertThat(api.get("/api/v1/stats/series?seconds=901").statusCode()).isEqualTo(400);
            assertThat(api.get("/").body()).contains("<");

            var preview = api.send("POST", "/api/v1/backends/p/preview", "{\"weights\": {\"a\": 3}}");
            assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
            JsonNode whatIf = Api.json(preview);
            assertThat(whatIf.at("/shares/a").asDouble()).isCloseTo(0.75, within(0.01));
            assertThat(whatIf.at("/shares/b").asDouble()).isCloseTo(0.25, within(0.01));
            assertThat(whatIf.get("moved_fraction").asDouble()).isBetween(0.2, 0.3);
            assertThat(Api.json(api.send("POST", "/api/v1/backends/p/preview", "{\"states\": {\"b\": \"drain\"}}"))
                    .at("/shares/a").asDouble()).isEqualTo(1.0);
            assertThat(api.send("POST", "/api/v1/backends/p/preview", "{\"weights\": {\"zz\": 3}}").statusCode()).isEqualTo(404);
            assertThat(api.send("POST", "/api/v1/backends/p/preview", "{\"weights\": {\"a\": 70000}}").statusCode())
                    .isEqualTo(422);
            assertThat(api.version()).as("a preview applies nothing").isEqualTo(1);

            var probeResponse = api.send("POST", "/api/v1/probe", "{\"addr\": \"" + a.addr() + "\"}");
            assertThat(probeResponse.statusCode()).as(probeResponse.body()).isEqualTo(200);
            JsonNode probe = Api.json(probeResponse);
            assertThat(probe.get("reachable").asBoolean()).isTrue();
            assertThat(probe.get("error").isNull()).isTrue();
            var validation = api.send("POST", "/api/v1/config/validate", "[backends.p]\nrise = 0\n");
            assertThat(validation.statusCode()).as(validation.body()).isEqualTo(200);
            JsonNode valid = Api.json(validation);
            assertThat(valid.get("valid").asBoolean()).isFalse();
            assertThat(valid.get("problems")).anySatisfy(p -> assertThat(p.get("path").asText()).isEqualTo("backends.p.rise"));
        }
    }
}
