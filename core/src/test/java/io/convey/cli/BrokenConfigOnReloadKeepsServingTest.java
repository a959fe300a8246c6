package io.convey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokenConfigOnReloadKeepsServingTest {

    @Test
    void aBrokenFileIsReportedWithItsLineAndTheRunningConfigStays(@TempDir java.nio.file.Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, ReloadKeepsEstablishedConnectionsTest.config(
                        a.addr(), 1, b.addr(), 1))) {
            var engine = daemon.daemon().engine();
            String broken = ReloadKeepsEstablishedConnectionsTest.config(a.addr(), 1, b.addr(), 70000);
            daemon.rewrite(broken);
            await().atMost(Duration.ofSeconds(2)).until(() -> !engine.lastReload().ok());
            assertThat(engine.lastReload().problems()).extracting(Object::toString)
                    .containsExactly(daemon.config().toAbsolutePath() + ":12: backends.p.servers.b.weight: 70000 (expected: 0-65535)");
            assertThat(engine.version()).isEqualTo(1);
            for (int i = 0; i < 10; i++) {
                assertThat(Tcp.greeting(daemon.frontend("f"))).isIn("a", "b");
            }
            assertThat(daemon.configText()).isEqualTo(broken);

            daemon.rewrite(ReloadKeepsEstablishedConnectionsTest.config(a.addr(), 0, b.addr(), 1));
            await().atMost(Duration.ofSeconds(2)).until(() -> engine.version() == 2);
            assertThat(engine.lastReload().ok()).isTrue();
            for (int i = 0; i < 10; i++) {
                assertThat(Tcp.greeting(daemon.frontend("f"))).isEqualTo("b");
            }
        }
    }

    @Test
    void anUnchangedFileIsNotReapplied(@TempDir java.nio.file.Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, ReloadKeepsEstablishedConnectionsTest.config(
                        a.addr(), 1, b.addr(), 1))) {
            var engine = daemon.daemon().engine();
            String same = daemon.configText();
            daemon.rewrite(same);
            daemon.rewrite(same);
            daemon.rewrite(ReloadKeepsEstablishedConnectionsTest.config(a.addr(), 2, b.addr(), 1));
            await().atMost(Duration.ofSeconds(2)).until(() -> engine.version() >= 2);
            assertThat(engine.version()).as("only the real change is applied").isEqualTo(2);
        }
    }

    @Test
    void anEditorThatSavesByRenameIsSeen(@TempDir java.nio.file.Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, ReloadKeepsEstablishedConnectionsTest.config(
                        a.addr(), 1, b.addr(), 1))) {
            var temp = dir.resolve("convey.toml.swp");
            Files.writeString(temp, ReloadKeepsEstablishedConnectionsTest.config(a.addr(), 1, b.addr(), 0));
            Files.move(temp, daemon.config(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(2)).until(() -> daemon.daemon().engine().version() == 2);
            for (int i = 0; i < 5; i++) {
                assertThat(Tcp.greeting(daemon.frontend("f"))).isEqualTo("a");
            }
        }
    }
}
