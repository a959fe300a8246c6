package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class FailoverOnConnectRefusalTest {

    @Test
    void aRefusingServerThatHealthChecksHaveNotCaughtYetIsSkipped() throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); NamedServer c = new NamedServer("c");
                Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%4$d"
                    backend = "p"
                    [backends.p]
                    health_check_interval = 3600
                    [backends.p.servers.a]
                    addr = "%s"
                    [backends.p.servers.b]
                    addr = "%s"
                    [backends.p.servers.c]
                    addr = "%s"
                    """.formatted(a.addr(), b.addr(), c.addr(), Tcp.freeLoopbackPort()));
            EngineFixture.awaitAllChecked(engine);
            c.close(); // refuses from now on, but stays "up" until its next check in an hour
            InetSocketAddress frontend = engine.boundAddress("f");
            for (int i = 0; i < 30; i++) {
                assertThat(Tcp.greeting(frontend)).isIn("a", "b");
            }
            assertThat(EngineFixture.server(engine, "p", "c").up()).isTrue();
            var stats = engine.stats();
            assertThat(stats.server("p", "c").snapshot().totalConnections()).isZero();
            assertThat(stats.frontend("f").snapshot().totalConnections()).isEqualTo(30);
        }
    }

    @Test
    void withNoHealthyServerTheClientIsClosedAtOnceAndCountersStayRight() throws Exception {
        int closedPort = Tcp.freePort();
        try (Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%2$d"
                    backend = "p"
                    [backends.p]
                    health_check_interval = 3600
                    [backends.p.servers.gone]
                    addr = "127.0.0.1:%d"
                    """.formatted(closedPort, Tcp.freeLoopbackPort()));
            EngineFixture.awaitAllChecked(engine);
            assertThat(EngineFixture.server(engine, "p", "gone").up()).isFalse();
            for (int i = 0; i < 5; i++) {
                assertThat(Tcp.greeting(engine.boundAddress("f"))).isNull();
            }
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                var fe = engine.stats().frontend("f").snapshot();
                assertThat(fe.totalConnections()).isEqualTo(5);
                assertThat(fe.currentConnections()).isZero();
                assertThat(engine.stats().global().snapshot().currentConnections()).isZero();
            });
        }
    }
}
