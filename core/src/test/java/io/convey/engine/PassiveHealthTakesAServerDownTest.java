package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.health.HealthTransition;
import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Passive health ({@code observe = true}): failures of live traffic take a server down at once, long before its
 * next active check; the active checks' rise brings it back.
 */
class PassiveHealthTakesAServerDownTest {

    private static String config(int port, String a, String b, boolean observe, int interval) {
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                [backends.p]
                health_check_interval = %d
                fall = 3
                rise = 2
                observe = %s
                [backends.p.servers.a]
                addr = "%s"
                [backends.p.servers.b]
                addr = "%s"
                """.formatted(port, interval, observe, a, b);
    }

    @Test
    void refusedConnectsOfLiveTrafficTakeTheServerDownBeforeTheNextCheck() throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, config(Tcp.freeLoopbackPort(), a.addr(), b.addr(), true, 3600));
            EngineFixture.awaitAllChecked(engine);
            b.close(); // refuses from now on; its next check is an hour away

            var frontend = engine.boundAddress("f");
            for (int i = 0; i < 6; i++) {
                assertThat(Tcp.greeting(frontend)).isEqualTo("a"); // failed over to a meanwhile
            }

            await().until(() -> !EngineFixture.server(engine, "p", "b").up());
            var health = EngineFixture.server(engine, "p", "b").health();
            HealthTransition last = health.history().getLast();
            assertThat(last.up()).isFalse();
            assertThat(last.reason()).isEqualTo("3 failed connects or resets of live traffic in 10 s (last: connect failed)");
            assertThat(health.lastCheck()).isBefore(last.at()); // no check ran: the live failures decided
            assertThat(engine.stats().upstream("p", "b").snapshot().connectErrors()).isEqualTo(3);
        }
    }

    @Test
    void withoutObserveTheServerStaysUpUntilItsNextCheck() throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, config(Tcp.freeLoopbackPort(), a.addr(), b.addr(), false, 3600));
            EngineFixture.awaitAllChecked(engine);
            b.close();
            var frontend = engine.boundAddress("f");
            for (int i = 0; i < 10; i++) {
                assertThat(Tcp.greeting(frontend)).isEqualTo("a");
            }
            assertThat(engine.stats().upstream("p", "b").snapshot().connectErrors()).isGreaterThanOrEqualTo(3);
            assertThat(EngineFixture.server(engine, "p", "b").up()).isTrue();
        }
    }

    @Test
    void aServerResettingLiveConnectionsGoesDownAndComesBackByTheChecksRise() throws Exception {
        try (NamedServer a = new NamedServer("a"); Resetting b = new Resetting(); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, config(Tcp.freeLoopbackPort(), a.addr(), b.addr(), true, 1));
            EngineFixture.awaitAllChecked(engine);
            var frontend = engine.boundAddress("f");

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try {
                    Tcp.exchange(frontend, "hello");
                } catch (IOException e) {
                    // the reset reaches the client too
                }
                return !EngineFixture.server(engine, "p", "b").up();
            });
            // b accepts every check: only live traffic can have taken it down, and the checks bring it back.
            await().atMost(Duration.ofSeconds(20)).until(() -> EngineFixture.server(engine, "p", "b").up());
            List<HealthTransition> history = EngineFixture.server(engine, "p", "b").health().history();
            HealthTransition down = history.get(history.size() - 2);
            assertThat(down.up()).isFalse();
            assertThat(down.reason()).isEqualTo("3 failed connects or resets of live traffic in 10 s (last: reset)");
            assertThat(history.getLast().reason()).isEqualTo("connect ok (2/2 rises)");
        }
    }

    /**
     * A server that greets, then resets a connection (SO_LINGER 0) when the client sends something: health checks,
     * which send nothing, pass; live traffic fails.
     */
    private static final class Resetting implements AutoCloseable {
        private final ServerSocket socket;

        Resetting() throws IOException {
            socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        Thread.ofVirtual().start(() -> resetOnData(client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void resetOnData(Socket client) {
            try (client) {
                client.getOutputStream().write("r\n".getBytes());
                if (client.getInputStream().read() >= 0) {
                    client.setSoLinger(true, 0); // close() now sends a reset
                }
            } catch (IOException e) {
                // the peer went away
            }
        }

        String addr() {
            return "127.0.0.1:" + ((InetSocketAddress) socket.getLocalSocketAddress()).getPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
