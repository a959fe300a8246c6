package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinIsExactTest {

    @Test
    void weightsOneAndThreeGiveExactlyAQuarterAndThreeQuartersOf400Connections() throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); Engine engine = Engine.proxy(1)) {
            ReloadStatus status = EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%3$d"
                    backend = "p"
                    [backends.p]
                    health_check_interval = 3600
                    [backends.p.servers.a]
                    addr = "%s"
                    weight = 1
                    [backends.p.servers.b]
                    addr = "%s"
                    weight = 3
                    """.formatted(a.addr(), b.addr(), Tcp.freeLoopbackPort()));
            assertThat(status.ok()).as(status.problems().toString()).isTrue();
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("f");
            assertThat(Tcp.split(frontend, 400)).containsExactlyEntriesOf(new TreeMap<>(Map.of("a", 100, "b", 300)));
            assertThat(EngineFixture.server(engine, "p", "b").expectedShare()).isEqualTo(0.75);
        }
    }

    @Test
    void leastConnectionsAvoidsTheBusyServer() throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%3$d"
                    backend = "p"
                    [backends.p]
                    algorithm = "least_connections"
                    health_check_interval = 3600
                    [backends.p.servers.a]
                    addr = "%s"
                    [backends.p.servers.b]
                    addr = "%s"
                    """.formatted(a.addr(), b.addr(), Tcp.freeLoopbackPort()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("f");
            try (var held = new java.net.Socket()) {
                held.connect(frontend);
                String busy = new java.io.BufferedReader(new java.io.InputStreamReader(held.getInputStream())).readLine();
                String idle = busy.equals("a") ? "b" : "a";
                for (int i = 0; i < 20; i++) {
                    assertThat(Tcp.greeting(frontend)).isEqualTo(idle);
                    // the proxy closes its side asynchronously; wait until the idle server is idle again
                    org.awaitility.Awaitility.await().until(() -> engine.stats().server("p", idle).current() == 0);
                }
            }
        }
    }
}
