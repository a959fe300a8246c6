package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.FrontendPreamble;
import io.convey.config.SendProxy;
import io.convey.config.SniMismatch;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * send_proxy, accept_proxy and the SNI map edited through the API: written back to the file with its comments, shown
 * by the read routes, refused with a 4xx that changes nothing when wrong, and restored by the reverse edits.
 */
class ProxyHeaderAndSniEditsTest {

    @Test
    void editsAreWrittenBackShownAndUndone(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api api = new Api(daemon);
            String original = api.fileText();

            var pool = api.send("PATCH", "/api/v1/backends/p", "{\"send_proxy\": \"v2\"}");
            assertThat(pool.statusCode()).as(pool.body()).isEqualTo(200);
            var frontend = api.send("PATCH", "/api/v1/frontends/f", "{\"accept_proxy\": true,"
                    + " \"accept_proxy_timeout_ms\": 1500, \"sni\": {\"a.example\": \"p\", \"*.Example\": \"p\"},"
                    + " \"sni_mismatch\": \"reject\"}");
            assertThat(frontend.statusCode()).as(frontend.body()).isEqualTo(200);

            String text = api.fileText();
            assertThat(text).startsWith("# the appliance under test\n")
                    .contains("send_proxy = \"v2\"", "accept_proxy = true", "accept_proxy_timeout_ms = 1500",
                            "sni_mismatch = \"reject\"", "[frontends.f.sni]", "\"a.example\" = \"p\"", "\"*.Example\" = \"p\"");
            var config = daemon.daemon().engine().config();
            assertThat(config.backends().get("p").sendProxy()).isEqualTo(SendProxy.V2);
            FrontendPreamble preamble = config.frontends().get("f").preamble();
            assertThat(preamble.acceptProxy()).isTrue();
            assertThat(preamble.acceptProxyTimeout()).isEqualTo(Duration.ofMillis(1500));
            assertThat(preamble.sni()).isEqualTo(Map.of("a.example", "p", "*.example", "p"));
            assertThat(preamble.sniMismatch()).isEqualTo(SniMismatch.REJECT);

            var shown = Api.json(api.get("/api/v1/frontends")).get(0);
            assertThat(shown.get("accept_proxy").asBoolean()).isTrue();
            assertThat(shown.get("sni").get("*.example").asText()).isEqualTo("p");
            assertThat(shown.get("sni_mismatch").asText()).isEqualTo("reject");
            assertThat(shown.get("refused").isObject()).isTrue();
            assertThat(Api.json(api.get("/api/v1/backends/p")).get("send_proxy").asText()).isEqualTo("v2");
            assertThat(Api.json(api.get("/api/v1/config")).get("frontends").get("f").get("sni_timeout_ms").asLong())
                    .isEqualTo(5000);

            long version = api.version();
            String before = api.fileText();
            var unknownPool = api.send("PATCH", "/api/v1/frontends/f", "{\"sni\": {\"b.example\": \"nowhere\"}}");
            assertThat(unknownPool.statusCode()).isEqualTo(422);
            assertThat(unknownPool.body()).contains("frontends.f.sni.\\\"b.example\\\"", "(expected: a pool defined in [backends])");
            var badName = api.send("PATCH", "/api/v1/frontends/f", "{\"sni\": {\"bad name\": \"p\"}}");
            assertThat(badName.statusCode()).isEqualTo(422);
            var badVersion = api.send("PATCH", "/api/v1/backends/p", "{\"send_proxy\": \"v3\"}");
            assertThat(badVersion.statusCode()).isEqualTo(422);
            assertThat(badVersion.body()).contains("(expected: one of none, v1, v2)");
            var notBool = api.send("PATCH", "/api/v1/frontends/f", "{\"accept_proxy\": \"yes\"}");
            assertThat(notBool.statusCode()).isEqualTo(400);
            assertThat(api.send("DELETE", "/api/v1/backends/p", null).statusCode()).isEqualTo(409);
            assertThat(api.version()).isEqualTo(version);
            assertThat(api.fileText()).isEqualTo(before);

            assertThat(api.send("PATCH", "/api/v1/frontends/f", "{\"sni\": {}}").statusCode()).isEqualTo(200);
            assertThat(api.fileText()).doesNotContain("[frontends.f.sni]", "a.example");
            assertThat(daemon.daemon().engine().config().frontends().get("f").preamble().routesBySni()).isFalse();
        }
    }
}
