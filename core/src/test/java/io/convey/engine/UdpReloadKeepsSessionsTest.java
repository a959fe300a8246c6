package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.Udp;
import io.convey.testing.UdpServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Reloads leave a UDP frontend's sessions with their servers, and end them with the frontend. */
class UdpReloadKeepsSessionsTest {

    private static String config(int port, String idle, UdpServer... servers) {
        StringBuilder text = new StringBuilder("""
                [frontends.stream]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                protocol = "udp"
                udp_idle_timeout_s = %s
                [backends.p]
                health_check = "none"
                """.formatted(port, idle));
        for (UdpServer server : servers) {
            text.append("[backends.p.servers.").append(server.name()).append("]\naddr = \"").append(server.addr())
                    .append("\"\n");
        }
        return text.toString();
    }

    @Test
    void aReloadThatChangesThePoolAndTheTimeoutKeepsEstablishedSessionsOnTheirServer() throws Exception {
        try (UdpServer a = new UdpServer("a"); UdpServer b = new UdpServer("b"); Engine engine = Engine.proxy(1);
                Udp client = new Udp()) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, config(port, "60", a));
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);
            assertThat(client.ask(frontend, "before")).isEqualTo("a:before");

            assertThat(EngineFixture.apply(engine, config(port, "1", b)).ok()).isTrue();

            assertThat(client.ask(frontend, "after")).as("the session stays with its server").isEqualTo("a:after");
            assertThat(engine.boundAddress("stream")).isEqualTo(frontend);
            var fe = engine.stats().datagrams().frontend("stream").snapshot();
            assertThat(fe.sessionsTotal()).isEqualTo(1);
            assertThat(fe.sessionsCurrent()).isEqualTo(1);
            try (Udp other = new Udp()) {
                assertThat(other.ask(frontend, "new")).as("new sessions follow the new pool").isEqualTo("b:new");
            }
            // The new idle timeout (1 s) applies to new sessions; the first keeps the 60 s it started with.
            await().until(() -> engine.stats().datagrams().server("p", "b").snapshot().sessionsCurrent() == 0);
            assertThat(engine.stats().datagrams().frontend("stream").snapshot().sessionsCurrent()).isEqualTo(1);
            assertThat(client.ask(frontend, "still")).isEqualTo("a:still");
        }
    }

    @Test
    void removingTheFrontendEndsItsSessionsAndFreesThePort() throws Exception {
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(1); Udp client = new Udp()) {
            int port = Udp.freeLoopbackPort();
            EngineFixture.apply(engine, config(port, "60", a));
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);
            assertThat(client.ask(frontend, "hello")).isEqualTo("a:hello");

            EngineFixture.apply(engine, """
                    [backends.p]
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted(a.addr()));

            await().until(() -> engine.stats().datagrams().global().snapshot().sessionsCurrent() == 0);
            assertThat(engine.stats().global().snapshot().currentConnections()).isZero();
            try (var reuse = new java.net.DatagramSocket(frontend)) {
                assertThat(reuse.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void turningATcpFrontendIntoAUdpOneRebindsIt() throws Exception {
        try (UdpServer a = new UdpServer("a"); Engine engine = Engine.proxy(1); Udp client = new Udp()) {
            int port = Udp.freeLoopbackPort();
            String udp = config(port, "60", a);
            EngineFixture.apply(engine, udp.replace("protocol = \"udp\"\nudp_idle_timeout_s = 60\n", ""));
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);
            client.send(frontend, "nobody");
            assertThat(client.receive(300)).isNull();

            assertThat(EngineFixture.apply(engine, udp).ok()).isTrue();

            assertThat(client.ask(frontend, "now")).isEqualTo("a:now");
        }
    }
}
