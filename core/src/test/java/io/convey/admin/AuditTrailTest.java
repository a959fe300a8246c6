package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who did what: the audit log has accepted and refused writes and failed logins; history entries carry {@code by}. */
class AuditTrailTest {

    @Test
    void acceptedAndRefusedWritesAndFailedLoginsAreAudited(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api admin = new Api(daemon);
            Api viewer = new Api(daemon, daemon.userToken("vera", "viewer"));
            assertThat(admin.send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 4}").statusCode()).isEqualTo(200);
            assertThat(viewer.send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 9}").statusCode()).isEqualTo(403);
            assertThat(daemon.send("POST", "/api/v1/login", null, "{\"user\": \"vera\", \"password\": \"not her password\"}",
                    "Content-Type", "application/json").statusCode()).isEqualTo(401);

            JsonNode audit = Api.json(admin.get("/api/v1/audit?limit=3"));
            assertThat(audit).hasSize(3);
            JsonNode failedLogin = audit.get(0);
            assertThat(failedLogin.get("path").asText()).isEqualTo("/api/v1/login");
            assertThat(failedLogin.get("status").asInt()).isEqualTo(401);
            assertThat(failedLogin.get("outcome").asText()).isEqualTo("refused");
            assertThat(failedLogin.get("user").isNull()).isTrue();
            assertThat(failedLogin.get("via").asText()).isEqualTo("none");
            assertThat(failedLogin.get("summary").asText()).isEqualTo("login of vera");
            JsonNode refused = audit.get(1);
            assertThat(refused.get("user").asText()).isEqualTo("vera");
            assertThat(refused.get("via").asText()).isEqualTo("token:vera token");
            assertThat(refused.get("method").asText()).isEqualTo("PATCH");
            assertThat(refused.get("status").asInt()).isEqualTo(403);
            assertThat(refused.get("summary").asText()).isEqualTo("the operator role is required");
            JsonNode accepted = audit.get(2);
            assertThat(accepted.get("user").asText()).isEqualTo("admin");
            assertThat(accepted.get("via").asText()).isEqualTo("token:test fixture");
            assertThat(accepted.get("from").asText()).isEqualTo("127.0.0.1");
            assertThat(accepted.get("outcome").asText()).isEqualTo("accepted");
            assertThat(accepted.get("summary").asText()).contains("weight");
            assertThat(accepted.get("at").asText()).isNotBlank();

            List<String> lines = Files.readAllLines(daemon.stateDir().resolve("audit.log"));
            assertThat(lines).hasSizeGreaterThanOrEqualTo(3).allSatisfy(l -> assertThat(Api.JSON.readTree(l).isObject()).isTrue());
            assertThat(viewer.get("/api/v1/audit").statusCode()).isEqualTo(403);
            assertThat(Api.json(admin.get("/api/v1/audit?limit=100"))).as("successful logins too").anySatisfy(e -> {
                assertThat(e.get("path").asText()).isEqualTo("/api/v1/login");
                assertThat(e.get("user").asText()).isEqualTo("vera");
                assertThat(e.get("via").asText()).isEqualTo("token:vera token");
                assertThat(e.get("outcome").asText()).isEqualTo("accepted");
            });
        }
    }

    @Test
    void historyEntriesSayWhoMadeEachVersion(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api admin = new Api(daemon);
            Api operator = new Api(daemon, daemon.userToken("otto", "operator"));
            assertThat(operator.send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 2}").statusCode()).isEqualTo(200);
            assertThat(admin.send("POST", "/api/v1/config/rollback/1", null).statusCode()).isEqualTo(200);
            daemon.rewrite(daemon.configText().replace("weight = 1", "weight = 5"));
            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.version() == 4);

            JsonNode history = Api.json(admin.get("/api/v1/config/history"));
            assertThat(history).extracting(e -> e.get("by").asText()).containsExactly("file", "test fixture (token of admin)",
                    "otto token (token of otto)", "startup");
            assertThat(history).extracting(e -> e.get("source").asText()).containsExactly("file", "rollback", "api", "startup");
            assertThat(Files.readString(dir.resolve(".convey-history/index.tsv"))).contains("\totto token (token of otto)\n");
        }
    }
}
