package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A frontend's max_connections counts each connection once, whatever became of the connections before it. */
@Timeout(60)
class FrontendLimitTest {
    private TestServer backend;
    private ProxyServer proxy;

    @AfterEach
    void tearDown() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /**
     * A connection closed at accept because the router failed was never counted; it used to be uncounted all the
     * same, which left the limit one higher for good: at max_connections 1 a second client was then served beside
     * the first instead of waiting in the backlog.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionClosedBeforeItWasCountedLeavesTheLimitAsItWas(Transport transport) throws Exception {
        backend = TestServer.echo();
        TestRouter servers = TestRouter.of(backend.address());
        AtomicBoolean failOnce = new AtomicBoolean(true);
        Router router = new Router() {
            @Override
            public FlowObserver frontendObserver(String frontend) {
                return servers.frontendObserver(frontend);
            }

            @Override
            public Upstream select(String frontend, InetSocketAddress client, Set<InetSocketAddress> tried) {
                return servers.select(frontend, client, tried);
            }

            @Override
            public Preamble preamble(String frontend) {
                if (failOnce.getAndSet(false)) {
                    throw new IllegalStateException("router failed (test)");
                }
                return Preamble.NONE;
            }

            @Override
            public int maxConnections(String frontend) {
                return 1;
            }
        };
        proxy = new ProxyServer(router, 1, transport);
        InetSocketAddress frontend = proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();

        try (Socket turnedAway = connect(frontend)) {
            assertThat(turnedAway.getInputStream().read()).isEqualTo(-1); // closed at accept
        }
        try (Socket one = connect(frontend)) {
            assertThat(echo(one)).isEqualTo("ping");
            try (Socket two = connect(frontend)) { // completes in the kernel's backlog
                two.getOutputStream().write(PING);
                two.setSoTimeout(1_000);
                assertThatThrownBy(() -> two.getInputStream().read()).as("the second client waits while the first is open")
                        .isInstanceOf(SocketTimeoutException.class);
                one.close();
                two.setSoTimeout(10_000);
                assertThat(new String(two.getInputStream().readNBytes(PING.length), StandardCharsets.US_ASCII))
                        .isEqualTo("ping");
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
    }

    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    private static Socket connect(InetSocketAddress frontend) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(frontend, 10_000);
        return socket;
    }

    private static String echo(Socket socket) throws IOException {
        socket.getOutputStream().write(PING);
        return new String(socket.getInputStream().readNBytes(PING.length), StandardCharsets.US_ASCII);
    }
}
