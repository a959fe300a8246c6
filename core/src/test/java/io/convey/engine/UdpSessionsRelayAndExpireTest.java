package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.stats.DatagramCounters;
import io.convey.testing.Udp;
import io.convey.testing.UdpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A UDP frontend in proxy mode with real UDP clients and servers on loopback. */
class UdpSessionsRelayAndExpireTest {

    private static String config(int port, String frontendKeys, String poolKeys, UdpServer... servers) {
        StringBuilder text = new StringBuilder("""
                [frontends.dns]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                protocol = "udp"
                %s
                [backends.p]
                health_check = "none"
                %s
                """.formatted(port, frontendKeys, poolKeys));
        for (UdpServer server : servers) {
            text.append("[backends.p.servers.").append(server.name()).append("]\naddr = \"").append(server.addr())
                    .append("\"\n");
        }
        return text.toString();
    }

    private static DatagramCounters.Snapshot frontend(Engine engine) {
        return engine.stats().datagrams().frontend("dns").snapshot();
    }

    @Test
    void aDnsLikeRequestIsAnsweredFromTheFrontendsAddressAndItsSessionEndsWithTheAnswer() throws Exception {
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(1); Udp client = new Udp()) {
            int port = Udp.freeLoopbackPort();
            assertThat(EngineFixture.apply(engine, config(port, "udp_responses = 1", "", a)).ok()).isTrue();
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);

            client.send(frontend, "example.net A?");
            Udp.Answer answer = client.receive();

            assertThat(answer.text()).isEqualTo("a:example.net A?");
            assertThat(answer.from()).isEqualTo(frontend);
            await().untilAsserted(() -> {
                DatagramCounters.Snapshot s = frontend(engine);
                assertThat(s.datagramsTx()).isEqualTo(1);
                assertThat(s.datagramsRx()).isEqualTo(1);
                assertThat(s.bytesTx()).isEqualTo("example.net A?".length());
                assertThat(s.bytesRx()).isEqualTo("a:example.net A?".length());
                assertThat(s.sessionsTotal()).isEqualTo(1);
                assertThat(s.sessionsCurrent()).as("udp_responses = 1: answered, ended").isZero();
            });
            assertThat(engine.stats().datagrams().server("p", "a").snapshot().datagramsRx()).isEqualTo(1);
            assertThat(engine.stats().frontend("dns").snapshot().totalConnections()).isEqualTo(1);

            assertThat(client.ask(frontend, "second")).isEqualTo("a:second");
            await().until(() -> frontend(engine).sessionsTotal() == 2 && frontend(engine).sessionsCurrent() == 0);
            assertThat(a.peers()).as("each request had a session socket of its own").hasSize(2);
        }
    }

    @Test
    void withoutCountedResponsesASessionCarriesEveryDatagramUntilItIsIdle() throws Exception {
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(1); Udp client = new Udp()) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, config(port, "udp_idle_timeout_s = 1", "", a));
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);

            for (int i = 0; i < 3; i++) {
                assertThat(client.ask(frontend, "m" + i)).isEqualTo("a:m" + i);
            }
            assertThat(a.peers()).as("one session, one socket toward the server").hasSize(1);
            assertThat(frontend(engine).sessionsCurrent()).isEqualTo(1);

            await().until(() -> frontend(engine).sessionsCurrent() == 0);
            assertThat(client.ask(frontend, "later")).isEqualTo("a:later");
            assertThat(frontend(engine).sessionsTotal()).isEqualTo(2);
            assertThat(a.peers()).hasSize(2);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"epoll", "io_uring", "nio"})
    void everyTransportRelaysSessionsAndLongDatagrams(String transport) throws Exception {
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(2); Udp c1 = new Udp(); Udp c2 = new Udp()) {
            int port = Udp.freeLoopbackPort();
            String text = config(port, "", "", a) + "[proxy]\ntransport = \"" + transport + "\"\n";
            assertThat(EngineFixture.apply(engine, text).ok()).isTrue();
            assertThat(engine.dataPlaneDetails()).containsEntry("transport", transport);
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);
            String large = "y".repeat(30_000);

            for (int i = 0; i < 3; i++) {
                assertThat(c1.ask(frontend, "c1-" + i)).isEqualTo("a:c1-" + i);
                assertThat(c2.ask(frontend, large + i)).isEqualTo("a:" + large + i);
            }
            assertThat(frontend(engine).sessionsTotal()).isEqualTo(2);
            assertThat(a.peers()).hasSize(2);
        }
    }

    @Test
    void aDatagramOfNearlySixtyFourKilobytesPassesWholeBothWays() throws Exception {
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(1); Udp client = new Udp()) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, config(port, "udp_responses = 1", "", a));
            String large = "x".repeat(65_000);

            assertThat(client.ask(new InetSocketAddress("127.0.0.1", port), large)).isEqualTo("a:" + large);
        }
    }

    /**
     * 40 clients send at once, so the listener reads several datagrams per system call (into slots of one buffer of
     * its event loop) while the sessions it opens send and answer from that same buffer: every answer must be its
     * own client's, whole.
     */
    @Test
    void aBurstFromManyClientsIsRelayedIntactEachToItsClient() throws Exception {
        int clients = 40;
        List<Udp> udp = new ArrayList<>();
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(1)) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, config(port, "udp_responses = 1", "", a));
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < clients; i++) {
                udp.add(new Udp());
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < clients; i++) {
                    udp.get(i).send(frontend, payload(round, i));
                }
                for (int i = 0; i < clients; i++) {
                    Udp.Answer answer = udp.get(i).receive();
                    assertThat(answer).as("client %d, round %d", i, round).isNotNull();
                    assertThat(answer.text()).isEqualTo("a:" + payload(round, i));
                }
            }
            assertThat(frontend(engine).datagramsRx()).isEqualTo(3L * clients);
        } finally {
            udp.forEach(Udp::close);
        }
    }

    /** A payload that names its client and round, 100 bytes to about 12 KB long. */
    private static String payload(int round, int client) {
        return ("c" + client + "r" + round + ":").repeat(10 + 300 * ((client + round) % 5));
    }

    @Test
    void anIpv6ClientAndServerAndAnEmptyDatagramAreRelayed() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (UdpServer a = new UdpServer("a", 1, new InetSocketAddress(v6, 0)); Engine engine = Engine.proxy(1);
                Udp client = new Udp(v6)) {
            int port = Udp.freeLoopbackPort();
            String text = config(port, "udp_responses = 1", "", a).replace("127.0.0.1:" + port, "[::1]:" + port);
            assertThat(EngineFixture.apply(engine, text).ok()).isTrue();
            InetSocketAddress frontend = new InetSocketAddress(v6, port);

            assertThat(client.ask(frontend, "over six")).isEqualTo("a:over six");
            assertThat(client.ask(frontend, "")).as("an empty request").isEqualTo("a:");
            assertThat(a.peers()).allSatisfy(peer -> assertThat(peer.getAddress()).isEqualTo(v6));
            await().atMost(Duration.ofSeconds(5)).until(() -> frontend(engine).sessionsCurrent() == 0);
            assertThat(frontend(engine).sessionsTotal()).isEqualTo(2);
        }
    }

    @Test
    void countedResponsesRelayEveryAnswerThenEndTheSession() throws Exception {
        try (UdpServer a = new UdpServer("a", 2); Engine engine = Engine.proxy(1); Udp client = new Udp()) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, config(port, "udp_responses = 2", "", a));
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);

            client.send(frontend, "q");
            assertThat(client.receive().text()).isEqualTo("a:q");
            assertThat(client.receive().text()).isEqualTo("a:q");
            await().until(() -> frontend(engine).sessionsCurrent() == 0);
            assertThat(frontend(engine).datagramsRx()).isEqualTo(2);
        }
    }

    @Test
    void newClientsOverTheSessionCapAreDroppedAndCounted() throws Exception {
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(1); Udp c1 = new Udp(); Udp c2 = new Udp();
                Udp c3 = new Udp()) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, config(port, "udp_max_sessions = 2", "", a));
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);

            assertThat(c1.ask(frontend, "1")).isEqualTo("a:1");
            assertThat(c2.ask(frontend, "2")).isEqualTo("a:2");
            c3.send(frontend, "3");

            assertThat(c3.receive(500)).isNull();
            assertThat(frontend(engine).sessionsDropped()).isEqualTo(1);
            assertThat(frontend(engine).sessionsCurrent()).isEqualTo(2);
            assertThat(c1.ask(frontend, "again")).as("sessions under the cap go on").isEqualTo("a:again");
            assertThat(a.received()).isEqualTo(3);
        }
    }

    @Test
    void maglevKeepsEachClientAddressOnOneServerAcrossItsSessions() throws Exception {
        try (UdpServer a = new UdpServer("a"); UdpServer b = new UdpServer("b"); UdpServer c = new UdpServer("c");
                Engine engine = Engine.proxy(1)) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, config(port, "udp_responses = 1", "algorithm = \"maglev\"", a, b, c));
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);
            Map<String, Set<String>> serversByClient = new HashMap<>();

            for (int host = 2; host < 14; host++) {
                InetAddress address = InetAddress.getByName("127.0.0." + host);
                for (int session = 0; session < 4; session++) {
                    try (Udp client = new Udp(address)) { // a new port each time: a new session
                        String answer = client.ask(frontend, "q");
                        serversByClient.computeIfAbsent(address.getHostAddress(), k -> new HashSet<>())
                                .add(answer.substring(0, answer.indexOf(':')));
                    }
                }
            }

            assertThat(serversByClient).hasSize(12).allSatisfy((client, servers) -> assertThat(servers).hasSize(1));
            Set<String> used = new HashSet<>();
            serversByClient.values().forEach(used::addAll);
            assertThat(used).as("clients spread over the servers").hasSizeGreaterThan(1);
        }
    }

    @Test
    void aUdpAndATcpFrontendShareOneAddress() throws Exception {
        try (UdpServer a = new UdpServer("a"); io.convey.testing.NamedServer t = new io.convey.testing.NamedServer("t");
                Engine engine = Engine.proxy(1); Udp client = new Udp()) {
            int port = io.convey.testing.Tcp.freeLoopbackPort();
            String text = config(port, "udp_responses = 1", "", a) + """
                    [frontends.dns_tcp]
                    listen_addr = "127.0.0.1:%d"
                    backend = "q"
                    [backends.q.servers.t]
                    addr = "%s"
                    """.formatted(port, t.addr());
            assertThat(EngineFixture.apply(engine, text).ok()).isTrue();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);

            assertThat(client.ask(address, "udp")).isEqualTo("a:udp");
            assertThat(io.convey.testing.Tcp.greeting(address)).isEqualTo("t");
        }
    }
}
