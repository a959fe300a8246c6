package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A pool with a PROXY header holds back the handshake's ACK so that it leaves with the header (TCP_QUICKACK off,
 * on every transport). That is only right while the header goes out as soon as the connect completes: a server that
 * reads the header and then speaks first (SMTP, a database behind HAProxy-style accept-proxy) must answer a client
 * that has sent nothing, without waiting for any timer.
 */
@Timeout(30)
class ProxyHeaderServerSpeaksAfterItTest {
    private TestServer backend;
    private ProxyServer proxy;

    @AfterEach
    void tearDown() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theServerGetsTheHeaderAtOnceAndItsBannerReachesASilentClient(Transport transport) throws Exception {
        backend = TestServer.start(socket -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String header = in.readLine();
            socket.getOutputStream().write(("220 " + header + "\r\n").getBytes(StandardCharsets.US_ASCII));
            in.read();
        });
        TestRouter servers = TestRouter.of(backend.address()).withProxyHeader(ProxyHeader.V1);
        proxy = new ProxyServer(servers, 1, transport);
        InetSocketAddress frontend = proxy.bind("mail", new InetSocketAddress("127.0.0.1", 0)).join();

        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
                client.setSoTimeout(10_000);
                String banner = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertThat(banner).startsWith("220 PROXY TCP4 127.0.0.1 127.0.0.1 " + client.getLocalPort() + " "
                        + frontend.getPort());
                if (i > 0) { // the first connection pays for loading and compiling the path
                    best = Math.min(best, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            }
        }
        assertThat(best).as("ms from connect to the banner sent after the header, best of three").isLessThan(150);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
        assertThat(servers.balanced()).isTrue();
    }
}
