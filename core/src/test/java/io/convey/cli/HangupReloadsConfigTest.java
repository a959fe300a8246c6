package io.convey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.config.Mode;
import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HangupReloadsConfigTest {

    /**
     * The daemon reads its config through a symlink whose target lives in another directory: the watcher
     * sees no event when the target changes, so only the signal can make the daemon re-read it.
     */
    @Test
    void sighupReReadsAFileTheWatcherCannotSee(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("convey.toml");
        Path link = Files.createSymbolicLink(Files.createDirectory(dir.resolve("etc")).resolve("convey.toml"), real);
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b")) {
            Files.writeString(real, ReloadKeepsEstablishedConnectionsTest.config(a.addr(), 1, b.addr(), 0));
            try (Daemon daemon = Daemon.start(Mode.PROXY, link); AutoCloseable handler = Daemon.reloadOnHangup(daemon)) {
                assertThat(Tcp.greeting(daemon.engine().boundAddress("f"))).isEqualTo("a");
                Files.writeString(real, ReloadKeepsEstablishedConnectionsTest.config(a.addr(), 0, b.addr(), 1));

                long before = daemon.engine().version();
                // As systemctl reload sends it (kill -HUP $MAINPID): to the process.
                assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                        .inheritIO().start().waitFor()).isZero();

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(daemon.engine().lastReload())
                        .as("version %d, before %d, last reload %s", daemon.engine().version(), before, daemon.engine().lastReload())
                        .satisfies(r -> assertThat(r.source()).isEqualTo("signal"))
                        .satisfies(r -> assertThat(r.ok()).isTrue()));
                assertThat(daemon.engine().version()).isGreaterThan(before);
                for (int i = 0; i < 5; i++) {
                    assertThat(Tcp.greeting(daemon.engine().boundAddress("f"))).isEqualTo("b");
                }
            }
        }
    }
}
