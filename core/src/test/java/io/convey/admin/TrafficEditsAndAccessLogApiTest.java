package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator edits a frontend's allow/deny lists and access log through the API: the file keeps its comments, the
 * running frontend refuses the denied address at once, and the latest entries can be read back by client or server.
 */
class TrafficEditsAndAccessLogApiTest {

    private static boolean served(String source, InetSocketAddress frontend) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(frontend, 2000);
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            return in.read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aDenyListAndAnAccessLogSetThroughTheApiApplyAndTheEntriesCanBeFiltered(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("logs").resolve("access.log");
        Files.createDirectories(log.getParent());
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api api = new Api(daemon);
            var answer = api.send("PATCH", "/api/v1/frontends/f/traffic", """
                    {"deny": ["127.0.0.2/32"], "access_log": "%s", "rate_limit": 1000}""".formatted(log));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(Api.json(answer).get("summary").asText())
                    .isEqualTo("frontend f: deny 1 prefixes, rate_limit 1000, access_log " + log);
            String text = api.fileText();
            assertThat(text).contains("# the appliance under test", "deny = [\"127.0.0.2/32\"]",
                    "access_log = \"" + log + "\"", "rate_limit = 1000", "rate_limit_burst = 1000");

            InetSocketAddress frontend = daemon.daemon().engine().boundAddress("f");
            await().until(() -> daemon.getJson("/api/v1/frontends").at("/0/traffic/deny/0").asText().equals("127.0.0.2/32"));
            assertThat(served("127.0.0.2", frontend)).isFalse();
            assertThat(served("127.0.0.3", frontend)).isTrue();
            assertThat(daemon.getJson("/stats").at("/frontends/f/refused_by_acl").asLong()).isEqualTo(1);
            assertThat(daemon.getJson("/api/v1/frontends").at("/0/admission/refused_by_acl").asLong()).isEqualTo(1);

            Api viewer = new Api(daemon, daemon.userToken("vera", "viewer"));
            await().until(() -> Api.json(viewer.get("/api/v1/access-log")).get("entries").size() == 2);
            JsonNode refused = Api.json(viewer.get("/api/v1/access-log?client=127.0.0.2"));
            assertThat(refused.get("entries")).singleElement().satisfies(e -> {
                assertThat(e.get("ending").asText()).isEqualTo("refused_by_acl");
                assertThat(e.get("frontend").asText()).isEqualTo("f");
            });
            JsonNode byServer = Api.json(viewer.get("/api/v1/access-log?server=" + a.addr()));
            assertThat(byServer.get("entries")).singleElement().satisfies(e -> {
                assertThat(e.get("client").asText()).startsWith("127.0.0.3:");
                assertThat(e.get("server").asText()).isEqualTo("a");
                assertThat(e.get("ending").asText()).isEqualTo("client_closed");
            });
            assertThat(Files.readAllLines(log)).hasSize(2);
            assertThat(viewer.send("PATCH", "/api/v1/frontends/f/traffic", "{\"deny\": []}").statusCode()).isEqualTo(403);

            String before = api.fileDigestAndVersion();
            var bad = api.send("PATCH", "/api/v1/frontends/f/traffic", "{\"allow\": [\"10.1.2.3/8\"]}");
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).contains("frontends.f.allow", "(expected: the network address, 10.0.0.0/8)");
            var relative = api.send("PATCH", "/api/v1/frontends/f/traffic", "{\"access_log\": \"access.log\"}");
            assertThat(relative.statusCode()).isEqualTo(422);
            assertThat(api.send("GET", "/api/v1/access-log?limit=0", null).statusCode()).isEqualTo(400);
            assertThat(api.fileDigestAndVersion()).isEqualTo(before);
        }
    }
}
