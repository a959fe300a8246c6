package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that comes up in a pool with slow_start_s takes a growing share of new connections: measured over many
 * connections in successive windows while it ramps, its share grows from a small one to its full share.
 */
class SlowStartRampsAServerUpTest {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlowStartRampsAServerUpTest.class);
    private static final int WINDOW = 40;

    private static String config(int port, String algorithm, NamedServer a, NamedServer b, String bState) {
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                [backends.p]
                algorithm = "%s"
                health_check_interval = 3600
                slow_start_s = 4
                [backends.p.servers.a]
                addr = "%s"
                [backends.p.servers.b]
                addr = "%s"
                state = "%s"
                """.formatted(port, algorithm, a.addr(), b.addr(), bState);
    }

    @ParameterizedTest
    @ValueSource(strings = {"round_robin", "least_connections"})
    void anEnabledServersShareOfConnectionsGrowsToItsWeight(String algorithm) throws Exception {
        int port = Tcp.freeLoopbackPort();
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, config(port, algorithm, a, b, "disabled"));
            EngineFixture.awaitAllChecked(engine);
            var frontend = engine.boundAddress("f");
            assertThat(Tcp.split(frontend, 10)).containsOnlyKeys("a");

            EngineFixture.apply(engine, config(port, algorithm, a, b, "enabled"));

            List<Double> shares = new ArrayList<>();
            List<Integer> ramp = new ArrayList<>();
            while (ramp.isEmpty() || ramp.getLast() < 100) {
                ramp.add(EngineFixture.server(engine, "p", "b").limits().rampPercent());
                shares.add(shareOfB(engine, frontend));
            }
            shares.add(shareOfB(engine, frontend));

            log.info("slow start algorithm={} ramp%={} share of b per window of {} connections={}", algorithm, ramp, WINDOW,
                    shares);
            assertThat(shares).as("share of b per window of %d connections, ramp %s", WINDOW, ramp).hasSizeGreaterThan(4);
            assertThat(shares.getFirst()).isLessThan(0.2);
            assertThat(shares.getLast()).isEqualTo(0.5);
            for (int i = 1; i < shares.size(); i++) {
                // Connections of b per window: a rebuilt balancer starts its rotation afresh, so a window may count one
                // connection fewer than the one before it, never more.
                long now = Math.round(shares.get(i) * WINDOW);
                long before = Math.round(shares.get(i - 1) * WINDOW);
                assertThat(now).as("window %d of %s", i, shares).isGreaterThanOrEqualTo(before - 1);
            }
            assertThat(shares.get(shares.size() / 2)).isBetween(0.05, 0.5);
        }
    }

    /**
     * Opens a window of connections held open together (least connections compares active counts, so they must
     * overlap), counts who greeted them, closes them and waits until none is active.
     */
    private static double shareOfB(Engine engine, java.net.InetSocketAddress frontend) throws Exception {
        List<Clients.Held> held = new ArrayList<>();
        int b = 0;
        try {
            for (int i = 0; i < WINDOW; i++) {
                Clients.Held client = Clients.open(frontend);
                held.add(client);
                String greeting = client.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(greeting).isIn("a", "b");
                b += greeting.equals("b") ? 1 : 0;
            }
        } finally {
            for (Clients.Held client : held) {
                client.close();
            }
        }
        await().until(() -> engine.pools().getFirst().counters().currentConnections() == 0);
        return b / (double) WINDOW;
    }

    @ParameterizedTest
    @ValueSource(strings = {"maglev"})
    void aMaglevTableIsRebuiltAsTheWeightGrows(String algorithm) throws Exception {
        int port = Tcp.freeLoopbackPort();
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, config(port, algorithm, a, b, "disabled"));
            EngineFixture.awaitAllChecked(engine);
            EngineFixture.apply(engine, config(port, algorithm, a, b, "enabled"));

            List<Double> tableShares = new ArrayList<>();
            List<Double> effective = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                var b1 = EngineFixture.server(engine, "p", "b");
                tableShares.add(b1.expectedShare());
                effective.add(b1.limits().effectiveWeight());
                return b1.limits().rampPercent() == 100;
            });
            log.info("slow start maglev table share of b over the ramp={}", tableShares.stream().distinct().toList());
            assertThat(tableShares.getFirst()).isLessThan(0.2);
            assertThat(tableShares.getLast()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
            assertThat(tableShares).isSorted();
            assertThat(effective).isSorted();
            assertThat(tableShares.stream().distinct().count()).as("table rebuilt at several steps").isGreaterThan(4);
        }
    }
}
