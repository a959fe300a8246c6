package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Source persistence: every connection of one client address goes to one server, across a weight change. */
class PersistenceKeepsAClientOnItsServerTest {

    private static String config(int port, String algorithm, long persistence, Map<String, NamedServer> servers,
            Map<String, Integer> weights) {
        StringBuilder toml = new StringBuilder("""
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                [backends.p]
                algorithm = "%s"
                health_check_interval = 3600
                persistence_timeout_s = %d
                """.formatted(port, algorithm, persistence));
        servers.forEach((name, server) -> toml.append("""
                [backends.p.servers.%s]
                addr = "%s"
                weight = %d
                """.formatted(name, server.addr(), weights.getOrDefault(name, 1))));
        return toml.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"round_robin", "least_connections"})
    void twoHundredConnectionsOfOneClientStayOnOneServerAcrossAWeightChange(String algorithm) throws Exception {
        int port = Tcp.freeLoopbackPort();
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); NamedServer c = new NamedServer("c");
                Engine engine = Engine.proxy(2)) {
            Map<String, NamedServer> servers = new java.util.TreeMap<>(Map.of("a", a, "b", b, "c", c));
            EngineFixture.apply(engine, config(port, algorithm, 300, servers, Map.of()));
            var frontend = engine.boundAddress("f");

            Map<String, Integer> split = new HashMap<>(Tcp.split(frontend, 100));
            assertThat(split).hasSize(1);
            String kept = split.keySet().iterator().next();
            Map<String, Integer> weights = new HashMap<>(Map.of("a", 10, "b", 10, "c", 10));
            weights.put(kept, 1); // the kept server is now the least attractive
            EngineFixture.apply(engine, config(port, algorithm, 300, servers, weights));
            Tcp.split(frontend, 100).forEach((server, n) -> split.merge(server, n, Integer::sum));

            assertThat(split).containsExactly(Map.entry(kept, 200));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"round_robin", "least_connections"})
    void withoutPersistenceTheSameClientIsSpread(String algorithm) throws Exception {
        int port = Tcp.freeLoopbackPort();
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); NamedServer c = new NamedServer("c");
                Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, config(port, algorithm, 0, new java.util.TreeMap<>(Map.of("a", a, "b", b, "c", c)),
                    Map.of()));
            assertThat(Tcp.split(engine.boundAddress("f"), 30)).containsOnlyKeys("a", "b", "c");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"round_robin"})
    void aKeptServerThatGoesDownIsLeftAndTheClientStaysOnItsNewServer(String algorithm) throws Exception {
        int port = Tcp.freeLoopbackPort();
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); Engine engine = Engine.proxy(2)) {
            Map<String, NamedServer> servers = new java.util.TreeMap<>(Map.of("a", a, "b", b));
            EngineFixture.apply(engine, config(port, algorithm, 300, servers, Map.of()));
            var frontend = engine.boundAddress("f");
            String kept = Tcp.greeting(frontend);
            Map<String, Integer> disabled = Map.of(kept, 0);
            EngineFixture.apply(engine, config(port, algorithm, 300, servers, disabled));
            String other = kept.equals("a") ? "b" : "a";
            assertThat(Tcp.split(frontend, 20)).containsExactly(Map.entry(other, 20));
            EngineFixture.apply(engine, config(port, algorithm, 300, servers, Map.of()));
            assertThat(Tcp.split(frontend, 20)).containsExactly(Map.entry(other, 20));
        }
    }
}
