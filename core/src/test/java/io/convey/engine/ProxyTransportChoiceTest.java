package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.proxy.Transport;
import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyTransportChoiceTest {
    private final int frontendPort = Tcp.freeLoopbackPort(); // port 0 is refused as a listen address

    @ParameterizedTest
    @CsvSource({"nio, nio", "epoll, epoll", "io_uring, io_uring", "auto, "})
    void theConfiguredTransportCarriesTrafficAndIsReported(String configured, String expected) throws Exception {
        String transport = expected == null ? Transport.best().label() : expected;
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            ReloadStatus status = EngineFixture.apply(engine, config(configured, a));

            assertThat(status.ok()).as(status.problems().toString()).isTrue();
            assertThat(engine.dataPlaneDetails()).containsEntry("transport", transport);
            EngineFixture.awaitAllChecked(engine);
            assertThat(Tcp.greeting(engine.boundAddress("f"))).isEqualTo("a");
        }
    }

    @ParameterizedTest
    @CsvSource({"epoll, nio", "nio, io_uring"})
    void aChangedTransportIsKeptUntilTheNextStart(String first, String second) throws Exception {
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, config(first, a));

            ReloadStatus reload = EngineFixture.apply(engine, config(second, a));

            assertThat(reload.ok()).isTrue();
            assertThat(engine.dataPlaneDetails()).containsEntry("transport", first);
            assertThat(Tcp.greeting(engine.boundAddress("f"))).isEqualTo("a");
        }
    }

    private String config(String transport, NamedServer a) {
        return """
                [proxy]
                transport = "%s"
                [frontends.f]
                listen_addr = "127.0.0.1:%s"
                backend = "p"
                [backends.p]
                health_check_interval = 3600
                [backends.p.servers.a]
                addr = "%s"
                """.formatted(transport, frontendPort, a.addr());
    }
}
