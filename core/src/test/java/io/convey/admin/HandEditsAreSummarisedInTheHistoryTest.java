package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand edit of the file, a whole-file upload and a rollback are recorded in the history with what they changed,
 * computed on the appliance from the two configurations, not as "config file changed".
 */
class HandEditsAreSummarisedInTheHistoryTest {

    @Test
    void aHandEditARewriteAndARollbackSayWhatChanged(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr(), "b", b.addr()))) {
            Api api = new Api(daemon);
            String original = daemon.configText();
            long startup = Api.json(api.get("/api/v1/config/history")).get(0).get("id").asLong();

            String edited = original.replace("addr = \"" + a.addr() + "\"\nweight = 1", "addr = \"" + a.addr() + "\"\nweight = 5")
                    .replace("[backends.p.servers.b]\naddr = \"" + b.addr() + "\"\nweight = 1\n", "")
                    .replace("health_check_interval_ms = 200", "health_check_interval_ms = 1500");
            daemon.rewrite(edited);
            await().atMost(Duration.ofSeconds(5)).until(() -> api.version() == 2);
            JsonNode newest = Api.json(api.get("/api/v1/config/history")).get(0);
            assertThat(newest.get("source").asText()).isEqualTo("file");
            assertThat(newest.get("summary").asText())
                    .isEqualTo("b removed; a weight 1 → 5; pool p health_check_interval 200 ms → 1500 ms");

            daemon.rewrite(edited + "\n# only a comment\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> api.version() == 3);
            assertThat(Api.json(api.get("/api/v1/config/history")).get(0).get("summary").asText())
                    .isEqualTo("no setting changed (comments or layout only)");

            var rollback = api.send("POST", "/api/v1/config/rollback/" + startup, null);
            assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
            assertThat(Api.json(rollback).get("summary").asText()).isEqualTo("rollback to history #" + startup
                    + ": a weight 5 → 1; b added (" + b.addr() + ", weight 1); pool p health_check_interval 1500 ms → 200 ms");
            assertThat(Api.json(api.get("/api/v1/config/history")).get(0).get("summary").asText())
                    .isEqualTo(Api.json(rollback).get("summary").asText());
        }
    }
}
