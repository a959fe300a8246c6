package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HealthRiseFallTest {

    @Test
    void aStoppedServerGoesDownAfterFallFailuresAndComesBackAfterRiseSuccesses() throws Exception {
        List<EngineEvent.HealthChanged> events = new CopyOnWriteArrayList<>();
        NamedServer b = new NamedServer("b");
        int bPort = b.address().getPort();
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            engine.addListener(e -> {
                if (e instanceof EngineEvent.HealthChanged h) {
                    events.add(h);
                }
            });
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%3$d"
                    backend = "p"
                    [backends.p]
                    health_check_interval_ms = 100
                    rise = 2
                    fall = 3
                    [backends.p.servers.a]
                    addr = "%s"
                    [backends.p.servers.b]
                    addr = "127.0.0.1:%d"
                    """.formatted(a.addr(), bPort, Tcp.freeLoopbackPort()));
            EngineFixture.awaitAllChecked(engine);
            java.net.Socket held = null;
            while (held == null) { // an established connection to b, kept across b going down
                java.net.Socket s = new java.net.Socket();
                s.connect(engine.boundAddress("f"));
                var reader = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
                if ("b".equals(reader.readLine())) {
                    held = s;
                } else {
                    s.close();
                }
            }
            b.close(); // stops accepting; the established connection stays open on b's side
            await().atMost(Duration.ofSeconds(10)).until(() -> !EngineFixture.server(engine, "p", "b").up());
            var down = EngineFixture.server(engine, "p", "b").health();
            assertThat(down.consecutiveFailures()).isGreaterThanOrEqualTo(3);
            assertThat(events).last().satisfies(e -> {
                assertThat(e.server()).isEqualTo("b");
                assertThat(e.up()).isFalse();
                assertThat(e.reason()).contains("3/3");
            });
            for (int i = 0; i < 10; i++) {
                assertThat(Tcp.greeting(engine.boundAddress("f"))).isEqualTo("a");
            }
            held.getOutputStream().write("still here\n".getBytes());
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(held.getInputStream())).readLine())
                    .as("established connections are not cut when their server goes down").isEqualTo("still here");
            held.close();
            try (NamedServer back = new NamedServer("b", bPort)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> EngineFixture.server(engine, "p", "b").up());
                assertThat(events).last().satisfies(e -> {
                    assertThat(e.up()).isTrue();
                    assertThat(e.reason()).contains("2/2");
                });
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int i = 0; i < 10; i++) {
                    seen.add(Tcp.greeting(engine.boundAddress("f")));
                }
                assertThat(seen).containsExactlyInAnyOrder("a", "b");
            }
        }
    }
}
