package io.convey.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String config(String server, String notify) {
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                [backends.p]
                health_check_interval_ms = 100
                rise = 1
                fall = 1
                [backends.p.servers.a]
                addr = "%s"
                [stats]
                port = 0
                %s
                """.formatted(Tcp.freeLoopbackPort(), server, notify);
    }

    private static Path secret(Path dir, String value) throws Exception {
        Path file = dir.resolve("hook.secret");
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** The next notification of {@code event}, skipping others (their order across threads is not fixed). */
    private static Receiver.Request next(Receiver receiver, String event) throws Exception {
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Receiver.Request r = receiver.next();
            if (event.equals(r.headers().get("x-convey-event"))) {
                return r;
            }
            skipped.add(r.headers().get("x-convey-event"));
        }
        throw new AssertionError("no " + event + " among " + skipped);
    }

    @Test
    void aServerGoingDownAndUpAndConfigChangesReachTheHookSignedAndFiltered(@TempDir Path dir) throws Exception {
        NamedServer a = new NamedServer("a");
        int port = Integer.parseInt(a.addr().substring(a.addr().lastIndexOf(':') + 1));
        try (Receiver all = new Receiver(); Receiver rejectsOnly = new Receiver();
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), """
                        [notify.hooks.ops]
                        url = "%s"
                        secret_file = "hook.secret"
                        [notify.hooks.audit]
                        url = "%s"
                        events = ["config_rejected"]
                        """.formatted(all.url(), rejectsOnly.url()).replace("hook.secret",
                        secret(dir, "s3cret").toString())))) {
            a.close();
            Receiver.Request down = next(all, "server_down");
            JsonNode body = JSON.readTree(down.body());
            assertThat(body.get("event").asText()).isEqualTo("server_down");
            assertThat(body.get("pool").asText()).isEqualTo("p");
            assertThat(body.get("server").asText()).isEqualTo("a");
            assertThat(body.get("addr").asText()).isEqualTo(a.addr());
            assertThat(body.get("reason").asText()).contains("connect refused");
            assertThat(body.get("config_version").asLong()).isEqualTo(1);
            assertThat(body.get("at").asText()).isNotBlank();
            // Verified here with the JDK's HMAC directly, as a receiver would.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(down.headers().get("x-convey-signature-256"))
                    .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(down.body())));
            assertThat(Signature.verify("other".getBytes(StandardCharsets.UTF_8), down.body(),
                    down.headers().get("x-convey-signature-256"))).isFalse();

            JsonNode unavailable = JSON.readTree(next(all, "pool_unavailable").body());
            assertThat(unavailable.get("pool").asText()).isEqualTo("p");
            assertThat(unavailable.get("reason").asText()).isEqualTo("every server is down");

            try (NamedServer back = new NamedServer("a", port)) {
                assertThat(JSON.readTree(next(all, "server_up").body()).get("server").asText()).isEqualTo("a");
                assertThat(JSON.readTree(next(all, "pool_available").body()).get("eligible_servers").asInt()).isEqualTo(1);

                daemon.rewrite(daemon.configText().replace("fall = 1", "fall = 2"));
                daemon.daemon().reloadFromFile("file");
                JsonNode applied = JSON.readTree(next(all, "config_applied").body());
                assertThat(applied.get("version").asLong()).isEqualTo(2);
                assertThat(applied.get("source").asText()).isEqualTo("file");

                daemon.rewrite(daemon.configText().replace("fall = 2", "fall = 200"));
                daemon.daemon().reloadFromFile("file");
                // The first and only request this hook gets: it asked for config_rejected only.
                Receiver.Request first = rejectsOnly.next();
                assertThat(first.headers().get("x-convey-event")).isEqualTo("config_rejected");
                assertThat(first.headers()).doesNotContainKey("x-convey-signature-256");
                JsonNode rejected = JSON.readTree(first.body());
                assertThat(rejected.get("running_version").asLong()).isEqualTo(2);
                assertThat(rejected.get("problems").get(0).asText()).contains("backends.p.fall").contains("200");
                assertThat(rejectsOnly.requests).isEmpty();
            }
        }
    }
}
