package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.health.HealthTransition;
import io.convey.testing.NamedServer;
import io.convey.testing.Udp;
import io.convey.testing.UdpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pools without probes learn from UDP traffic; pools with probes may check another port than the service's. */
class UdpPassiveHealthTest {

    @Test
    void aServerAnsweringIcmpPortUnreachableGoesDownAfterFallSessionsAndTrafficMovesOn() throws Exception {
        int closedPort = Udp.freeLoopbackPort(); // nothing listens: the kernel answers ICMP port unreachable
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(1)) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, """
                    [frontends.dns]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    protocol = "udp"
                    [backends.p]
                    health_check = "none"
                    health_check_interval = 3600
                    fall = 2
                    [backends.p.servers.a]
                    addr = "%s"
                    [backends.p.servers.gone]
                    addr = "127.0.0.1:%d"
                    """.formatted(port, a.addr(), closedPort));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (Udp client = new Udp()) {
                    client.send(frontend, "q");
                    client.receive(200);
                }
                return !EngineFixture.server(engine, "p", "gone").up();
            });

            var gone = EngineFixture.server(engine, "p", "gone");
            HealthTransition down = gone.health().history().getLast();
            assertThat(down.up()).isFalse();
            assertThat(down.reason()).isEqualTo("port unreachable (ICMP) (2/2 fails)");
            assertThat(engine.stats().datagrams().server("p", "gone").snapshot().unreachable()).isGreaterThanOrEqualTo(2);
            for (int i = 0; i < 6; i++) {
                try (Udp client = new Udp()) {
                    assertThat(client.ask(frontend, "q" + i)).isEqualTo("a:q" + i);
                }
            }
        }
    }

    @Test
    void aSilentServerGoesDownWhenRequestsStayUnansweredAndIsTriedAgainAfterTheInterval() throws Exception {
        try (UdpServer silent = new UdpServer("silent", 0); Engine engine = Engine.proxy(1)) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, """
                    [frontends.dns]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    protocol = "udp"
                    udp_responses = 1
                    [backends.p]
                    health_check = "none"
                    health_check_timeout_ms = 200
                    health_check_interval_ms = 1500
                    fall = 2
                    [backends.p.servers.silent]
                    addr = "%s"
                    """.formatted(port, silent.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);

            try (Udp c1 = new Udp(); Udp c2 = new Udp()) {
                c1.send(frontend, "q1");
                c2.send(frontend, "q2");
                await().until(() -> !EngineFixture.server(engine, "p", "silent").up());
            }

            var server = EngineFixture.server(engine, "p", "silent");
            assertThat(server.health().history().getLast().reason()).isEqualTo("no answer within 200 ms (2/2 fails)");
            assertThat(engine.stats().datagrams().server("p", "silent").snapshot().unanswered()).isEqualTo(2);
            try (Udp c3 = new Udp()) {
                c3.send(frontend, "while down");
                await().until(() -> engine.stats().datagrams().frontend("dns").snapshot().sessionsDropped() == 1);
            }

            silent.replies(1);
            await().until(() -> EngineFixture.server(engine, "p", "silent").up());
            assertThat(EngineFixture.server(engine, "p", "silent").health().history().getLast().reason())
                    .isEqualTo("tried again after 1500 ms without probes (health_check = none)");
            try (Udp c4 = new Udp()) {
                assertThat(c4.ask(frontend, "back")).isEqualTo("silent:back");
            }
        }
    }

    @Test
    void healthCheckPortProbesATcpStatusPortBesideTheUdpService() throws Exception {
        try (UdpServer a = new UdpServer("a"); NamedServer status = new NamedServer("status"); Engine engine = Engine.proxy(1);
                Udp client = new Udp()) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, """
                    [frontends.dns]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    protocol = "udp"
                    udp_responses = 1
                    [backends.p]
                    health_check_interval_ms = 100
                    health_check_port = %d
                    fall = 1
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted(port, status.address().getPort(), a.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);

            assertThat(EngineFixture.server(engine, "p", "a").up()).as("the TCP status port answers").isTrue();
            assertThat(client.ask(frontend, "q")).isEqualTo("a:q");
            await().until(() -> status.accepted() > 0);

            status.close();
            await().until(() -> !EngineFixture.server(engine, "p", "a").up());
            assertThat(EngineFixture.server(engine, "p", "a").health().lastError()).isEqualTo("connect refused");
            client.send(frontend, "q");
            assertThat(client.receive(300)).as("the service itself still answers, but its status port says down").isNull();
        }
    }
}
