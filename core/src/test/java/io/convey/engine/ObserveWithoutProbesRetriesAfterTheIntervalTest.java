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
 * A pool without probes ({@code health_check = "none"}) that also observes its live traffic ({@code observe}): resets
 * of live connections, which only {@code observe} counts, take a server down at once, and it is offered traffic again
 * a whole interval after that, as after a DOWN decided by the traffic the proxy saw connecting.
 */
class ObserveWithoutProbesRetriesAfterTheIntervalTest {
    private static final Duration INTERVAL = Duration.ofSeconds(3);

    @Test
    void resetsTakeTheServerDownAndItIsTriedAgainAnIntervalLater() throws Exception {
        try (NamedServer a = new NamedServer("a"); Resetting b = new Resetting(); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    [backends.p]
                    health_check = "none"
                    health_check_interval = %d
                    fall = 3
                    observe = true
                    [backends.p.servers.a]
                    addr = "%s"
                    [backends.p.servers.b]
                    addr = "%s"
                    """.formatted(Tcp.freeLoopbackPort(), INTERVAL.toSeconds(), a.addr(), b.addr()));
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
            await().atMost(Duration.ofSeconds(20)).until(() -> EngineFixture.server(engine, "p", "b").up());

            List<HealthTransition> history = EngineFixture.server(engine, "p", "b").health().history();
            HealthTransition down = history.get(history.size() - 2);
            HealthTransition up = history.getLast();
            assertThat(down.up()).isFalse();
            assertThat(down.reason()).isEqualTo("3 failed connects or resets of live traffic in 10 s (last: reset)");
            assertThat(up.reason()).isEqualTo("tried again after 3000 ms without probes (health_check = none)");
            // counted from the DOWN, not from when the server was last seen UP (a few ms of clock reading aside)
            assertThat(Duration.between(down.at(), up.at())).isGreaterThan(INTERVAL.minusMillis(50));
        }
    }

    /** A server that greets, then resets a connection (SO_LINGER 0) as soon as the client sends something. */
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
