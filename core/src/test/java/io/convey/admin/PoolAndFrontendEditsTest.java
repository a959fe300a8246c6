package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pool and a frontend added through the API serve traffic at once, and removing them restores the file. */
class PoolAndFrontendEditsTest {

    @Test
    void addServeChangeAndRemoveAPoolAndItsFrontend(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer x = new NamedServer("x");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api api = new Api(daemon);
            String original = api.fileText();

            var pool = api.send("POST", "/api/v1/backends", "{\"name\": \"q\", \"algorithm\": \"maglev\","
                    + " \"health_check_interval_ms\": 2000, \"servers\": {\"x\": {\"addr\": \"" + x.addr() + "\"}}}");
            assertThat(pool.statusCode()).as(pool.body()).isEqualTo(201);
            assertThat(api.fileText()).contains("[backends.q]", "algorithm = \"maglev\"", "health_check_interval = 2");
            var frontend = api.send("POST", "/api/v1/frontends",
                    "{\"name\": \"g\", \"listen_addr\": \"127.0.0.1:" + io.convey.testing.Tcp.freeLoopbackPort()
                            + "\", \"backend\": \"q\"}");
            assertThat(frontend.statusCode()).as(frontend.body()).isEqualTo(201);
            try (Socket client = new Socket()) {
                client.connect(daemon.frontend("g"), (int) Duration.ofSeconds(5).toMillis());
                client.setSoTimeout(5000);
                InputStream in = client.getInputStream();
                assertThat(new String(in.readNBytes(2), StandardCharsets.UTF_8)).isEqualTo("x\n");
            }

            var patched = api.send("PATCH", "/api/v1/backends/q", "{\"health_check_interval_ms\": 1500, \"rise\": 3}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            var q = daemon.daemon().engine().config().backends().get("q");
            assertThat(q.healthCheckInterval()).isEqualTo(Duration.ofMillis(1500));
            assertThat(q.rise()).isEqualTo(3);

            assertThat(api.send("DELETE", "/api/v1/backends/q", null).statusCode()).as("still used by g").isEqualTo(409);
            assertThat(api.send("PATCH", "/api/v1/frontends/g", "{\"backend\": \"p\"}").statusCode()).isEqualTo(200);
            assertThat(api.send("DELETE", "/api/v1/frontends/g", null).statusCode()).isEqualTo(200);
            assertThat(daemon.frontend("g")).isNull();
            assertThat(api.send("DELETE", "/api/v1/backends/q", null).statusCode()).isEqualTo(200);
            assertThat(api.fileText()).isEqualTo(original);
            assertThat(api.version()).isEqualTo(7);
        }
    }
}
