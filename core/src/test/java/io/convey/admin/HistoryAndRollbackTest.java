package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every applied version is recorded with its source; a rollback restores a version's file byte-for-byte. */
class HistoryAndRollbackTest {

    @Test
    void apiAndHandEditsAreRecordedAndRollbackRestoresTheFileExactly(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr(), "b", b.addr()))) {
            Api api = new Api(daemon);
            byte[] original = Files.readAllBytes(daemon.config());
            long startup = Api.json(api.get("/api/v1/config/history")).get(0).get("id").asLong();

            assertThat(api.send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 5}").statusCode()).isEqualTo(200);
            String edited = api.fileText();
            daemon.rewrite(edited.replace("addr = \"" + b.addr() + "\"\nweight = 1", "addr = \"" + b.addr() + "\"\nweight = 9"));
            await().atMost(Duration.ofSeconds(5)).until(() -> api.version() == 3);

            JsonNode history = Api.json(api.get("/api/v1/config/history"));
            assertThat(history).extracting(h -> h.get("source").asText()).containsExactly("file", "api", "startup");
            assertThat(history).extracting(h -> h.get("config_version").asLong()).containsExactly(3L, 2L, 1L);
            assertThat(history.get(1).get("summary").asText()).isEqualTo("server p/a: weight 5");
            long apiId = history.get(1).get("id").asLong();
            assertThat(api.get("/api/v1/config/history/" + apiId).body()).isEqualTo(edited);

            String diff = api.get("/api/v1/config/diff?from=" + startup + "&to=" + apiId).body();
            assertThat(diff.lines().filter(l -> l.startsWith("-") && !l.startsWith("---"))).containsExactly("-weight = 1");
            assertThat(diff.lines().filter(l -> l.startsWith("+") && !l.startsWith("+++"))).containsExactly("+weight = 5");

            var rollback = api.send("POST", "/api/v1/config/rollback/" + startup, null, "If-Match", "\"3\"");
            assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
            assertThat(Api.json(rollback).get("config_version").asLong()).isEqualTo(4);
            assertThat(Files.readAllBytes(daemon.config())).isEqualTo(original);
            assertThat(daemon.daemon().engine().config().backends().get("p").servers().get("a").weight()).isEqualTo(1);
            JsonNode newest = Api.json(api.get("/api/v1/config/history")).get(0);
            assertThat(newest.get("source").asText()).isEqualTo("rollback");
            assertThat(Files.readString(dir.resolve(".convey-history/index.tsv")).lines()).hasSize(4);

            assertThat(api.send("POST", "/api/v1/config/rollback/999", null).statusCode()).isEqualTo(404);
            JsonNode status = Api.json(api.get("/api/v1/status"));
            assertThat(status.get("config_version").asLong()).isEqualTo(4);
            assertThat(status.at("/last_reload/source").asText()).isEqualTo("rollback");
        }
    }
}
