package io.convey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrontendsChangeLiveTest {

    static String config(String a, String b, int extraPort) {
        String extra = extraPort < 0 ? "" : """
                [frontends.g]
                listen_addr = "127.0.0.1:%d"
                backend = "q"
                """.formatted(extraPort);
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:%4$d"
                backend = "p"
                %s
                [backends.p]
                [backends.p.servers.a]
                addr = "%s"
                [backends.q]
                health_check_interval = 1
                [backends.q.servers.b]
                addr = "%s"
                [stats]
                port = "0"
                """.formatted(extra, a, b, Tcp.freeLoopbackPort());
    }

    @Test
    void aFrontendAndItsPoolAddedToTheFileStartListeningAndStopWhenRemoved(@TempDir java.nio.file.Path dir)
            throws Exception {
        int port = Tcp.freePort();
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), b.addr(), -1))) {
            var engine = daemon.daemon().engine();
            InetSocketAddress g = new InetSocketAddress("127.0.0.1", port);
            assertThatThrownBy(() -> Tcp.greeting(g)).isInstanceOf(ConnectException.class);

            daemon.rewrite(config(a.addr(), b.addr(), port));
            await().atMost(Duration.ofSeconds(2)).until(() -> engine.version() == 2);
            assertThat(Tcp.greeting(g)).isEqualTo("b");
            assertThat(Tcp.greeting(daemon.frontend("f"))).isEqualTo("a");

            daemon.rewrite(config(a.addr(), b.addr(), -1));
            await().atMost(Duration.ofSeconds(2)).until(() -> engine.version() == 3);
            assertThatThrownBy(() -> Tcp.greeting(g)).isInstanceOf(ConnectException.class);
            assertThat(Tcp.greeting(daemon.frontend("f"))).isEqualTo("a");
        }
    }

    @Test
    void aListenAddressInUseRejectsTheReloadAndKeepsTheOldListeners(@TempDir java.nio.file.Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), b.addr(), -1))) {
            var engine = daemon.daemon().engine();
            daemon.rewrite(config(a.addr(), b.addr(), taken.getLocalPort()));
            await().atMost(Duration.ofSeconds(2)).until(() -> !engine.lastReload().ok());
            assertThat(engine.lastReload().problems()).singleElement().asString()
                    .contains("frontends.g.listen_addr").contains("cannot be bound");
            assertThat(engine.version()).isEqualTo(1);
            assertThat(Tcp.greeting(daemon.frontend("f"))).isEqualTo("a");
        }
    }
}
