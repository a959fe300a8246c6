package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * Admission (persistence, server slots, the pool's queue) works on the connection as its preamble names it: the
 * client of a PROXY protocol header on an {@code accept_proxy} frontend, and the pool an SNI map gives the TLS
 * server name.
 */
class AdmissionSeesTheEffectiveClientAndItsSniPoolTest {

    @Test
    void persistenceKeepsEachProxyHeaderClientOnItsOwnServer() throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, """
                    [frontends.edge]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    accept_proxy = true
                    [backends.p]
                    health_check_interval = 3600
                    persistence_timeout_s = 300
                    [backends.p.servers.a]
                    addr = "%s"
                    [backends.p.servers.b]
                    addr = "%s"
                    """.formatted(Tcp.freeLoopbackPort(), a.addr(), b.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("edge");
            Set<String> first = new HashSet<>();
            Set<String> second = new HashSet<>();

            for (int i = 0; i < 10; i++) {
                // every connection comes from 127.0.0.1: only the headers tell the two clients apart
                first.add(greetingAfter(frontend, proxyHeader("198.51.100.7")));
                second.add(greetingAfter(frontend, proxyHeader("203.0.113.9")));
            }

            assertThat(first).hasSize(1);
            assertThat(second).hasSize(1);
            assertThat(first).doesNotContainAnyElementsOf(second); // round robin gave the second client the other one
        }
    }

    @Test
    void aConnectionRoutedBySniWaitsInTheQueueOfItsSniPool() throws Exception {
        try (NamedServer limited = new NamedServer("limited"); NamedServer other = new NamedServer("other");
                Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, """
                    [frontends.tls]
                    listen_addr = "127.0.0.1:%d"
                    backend = "other"
                    [frontends.tls.sni]
                    "limited.example" = "limited"
                    [backends.other]
                    health_check_interval = 3600
                    [backends.other.servers.o]
                    addr = "%s"
                    [backends.limited]
                    health_check_interval = 3600
                    queue_size = 10
                    queue_timeout_ms = 600000
                    [backends.limited.servers.l]
                    addr = "%s"
                    max_connections = 1
                    """.formatted(Tcp.freeLoopbackPort(), other.addr(), limited.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("tls");

            try (Clients.Held holder = Clients.open(frontend)) {
                holder.socket.getOutputStream().write(clientHello("limited.example"));
                assertThat(holder.greeting.get(20, TimeUnit.SECONDS)).isEqualTo("limited");
                Clients.Held waiting = Clients.open(frontend);
                waiting.socket.getOutputStream().write(clientHello("limited.example"));
                await().until(() -> queue(engine, "limited").current() == 1);

                // the frontend's own pool has no limit and nothing waits there
                assertThat(greetingAfter(frontend, clientHello("www.example"))).isEqualTo("other");
                assertThat(waiting.greeting).isNotDone();
                assertThat(queue(engine, "other").queued()).isZero();

                holder.close();
                assertThat(waiting.greeting.get(20, TimeUnit.SECONDS)).isEqualTo("limited");
                waiting.close();
            }
            assertThat(queue(engine, "limited").served()).isEqualTo(1);
        }
    }

    private static io.convey.stats.QueueCounters.Snapshot queue(Engine engine, String pool) {
        return engine.pools().stream().filter(p -> p.config().name().equals(pool)).findFirst().orElseThrow().queue();
    }

    private static byte[] proxyHeader(String client) {
        return ("PROXY TCP4 " + client + " 127.0.0.1 40000 443\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The first line the server sends after {@code preamble}. */
    private static String greetingAfter(InetSocketAddress frontend, byte[] preamble) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(frontend, 5000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(preamble);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    /** The TLS record of a ClientHello naming {@code serverName}, as the JDK's own TLS client writes it. */
    private static byte[] clientHello(String serverName) throws Exception {
        SSLEngine tls = SSLContext.getDefault().createSSLEngine(serverName, 443);
        tls.setUseClientMode(true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        tls.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(tls.getSession().getPacketBufferSize());
        tls.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] record = new byte[out.remaining()];
        out.get(record);
        return record;
    }
}
