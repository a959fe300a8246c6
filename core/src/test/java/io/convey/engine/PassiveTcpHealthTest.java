package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import org.junit.jupiter.api.Test;

/** A TCP pool without probes ({@code health_check = "none"}) learns from refused connects. */
class PassiveTcpHealthTest {

    @Test
    void refusedConnectsTakeAServerDownAfterFallWithoutAnyProbe() throws Exception {
        int closedPort = Tcp.freePort();
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    [backends.p]
                    health_check = "none"
                    health_check_interval = 3600
                    fall = 2
                    [backends.p.servers.a]
                    addr = "%s"
                    [backends.p.servers.gone]
                    addr = "127.0.0.1:%d"
                    """.formatted(Tcp.freeLoopbackPort(), a.addr(), closedPort));
            EngineFixture.awaitAllChecked(engine);
            assertThat(EngineFixture.server(engine, "p", "gone").health().history().getFirst().reason())
                    .isEqualTo("no probes (health_check = none): traffic decides");

            await().until(() -> {
                assertThat(Tcp.greeting(engine.boundAddress("f"))).as("a refused connect fails over").isEqualTo("a");
                return !EngineFixture.server(engine, "p", "gone").up();
            });

            assertThat(EngineFixture.server(engine, "p", "gone").health().history().getLast().reason())
                    .isEqualTo("connect refused (2/2 fails)");
            assertThat(EngineFixture.server(engine, "p", "a").up()).isTrue();
            assertThat(engine.stats().health("p", "a").snapshot().latency().count())
                    .as("no probe was sent").isZero();
        }
    }
}
