package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifySectionTest {
    private static final String POOL = """
            [frontends.f]
            listen_addr = "127.0.0.1:3000"
            backend = "p"
            [backends.p.servers.a]
            addr = "127.0.0.1:8080"
            """;

    @Test
    void hooksWithTheirEventsSecretFileAndLimitsAreRead(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("ops.secret"), "s3cret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        LoadResult result = ConfigLoader.parse(POOL + """
                [notify]
                max_attempts = 5
                timeout_ms = 2000
                queue_capacity = 10
                drop_threshold = 100
                drop_window_s = 30
                [notify.hooks.ops]
                url = "https://hooks.example.net/convey"
                secret_file = "ops.secret"
                events = ["server_down", "pool_unavailable"]
                [notify.hooks.chat]
                url = "http://127.0.0.1:9000/in"
                """, "convey.toml", dir);
        assertThat(result.problems()).isEmpty();
        NotifyConfig notify = result.config().orElseThrow().notifications();
        assertThat(notify.hooks().keySet()).containsExactly("ops", "chat");
        NotifyConfig.Hook ops = notify.hooks().get("ops");
        assertThat(ops.url()).isEqualTo(URI.create("https://hooks.example.net/convey"));
        assertThat(ops.secretFile()).hasValue(secret);
        assertThat(ops.events()).isEqualTo(Set.of(NotifyEvent.SERVER_DOWN, NotifyEvent.POOL_UNAVAILABLE));
        assertThat(notify.hooks().get("chat").events()).as("all by default").hasSize(NotifyEvent.values().length);
        assertThat(notify.maxAttempts()).isEqualTo(5);
        assertThat(notify.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(notify.queueCapacity()).isEqualTo(10);
        assertThat(notify.dropThreshold()).isEqualTo(100);
        assertThat(notify.dropWindow()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badHooksAreReportedWithFileLineAndKey(@TempDir Path dir) throws Exception {
        Path open = Files.writeString(dir.resolve("open.secret"), "s3cret\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        LoadResult result = ConfigLoader.parse(POOL + """
                [notify]
                max_attempts = 0
                [notify.hooks.a]
                url = "ftp://example.net/"
                [notify.hooks.b]
                url = "http://127.0.0.1:9000/"
                events = ["server_down", "server_dwon"]
                [notify.hooks.c]
                url = "http://127.0.0.1:9000/"
                secret_file = "open.secret"
                [notify.hooks.d]
                url = "http://127.0.0.1:9000/"
                secret_file = "missing.secret"
                secret = "inline"
                """, "convey.toml", dir);
        assertThat(result.config()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "convey.toml:7: notify.max_attempts: 0 (expected: 1-10)",
                "convey.toml:9: notify.hooks.a.url: \"ftp://example.net/\" (expected: an http:// or https:// URL)",
                "convey.toml:12: notify.hooks.b.events: \"server_dwon\" (expected: one of server_down, server_up,"
                        + " pool_unavailable, pool_available, config_applied, config_rejected, packets_dropped, vip_announced, vip_withdrawn, vrrp_state, maintenance)",
                "convey.toml:15: notify.hooks.c.secret_file: \"" + open + "\" is readable by others (expected: an"
                        + " owner-only file, chmod 600)",
                "convey.toml:18: notify.hooks.d.secret_file: \"" + dir.resolve("missing.secret") + "\" cannot be read"
                        + " (expected: an owner-only file, NoSuchFileException)",
                "convey.toml:19: warning: notify.hooks.d.secret: unknown key, ignored (did you mean secret_file?)");
    }
}
