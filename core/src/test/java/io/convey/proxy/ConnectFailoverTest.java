package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.Tcp;
import io.convey.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class ConnectFailoverTest {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ProxyServer proxy;
    private TestRouter router;

    @AfterEach
    void tearDown() throws Exception {
        if (proxy != null) {
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
            assertThat(router.frontend.opened.get()).isEqualTo(router.frontend.closed.get());
            assertThat(router.servers.opened.get()).isEqualTo(router.servers.closed.get());
            proxy.close();
        }
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusingServerIsSkippedForEveryClient(Transport transport) throws Exception {
        TestServer echo = track(TestServer.echo());
        router = new TestRouter(List.of(closedPort(), echo.address()), Duration.ofSeconds(2), Duration.ZERO);
        InetSocketAddress frontend = start(transport);

        for (int i = 0; i < 4; i++) {
            assertThat(exchange(frontend, "hello " + i)).isEqualTo("hello " + i);
        }

        assertThat(router.selects.get()).isGreaterThan(4);
        assertThat(echo.accepted.get()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> router.servers.closed.get() == 4);
        assertThat(router.servers.opened.get()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void silentServerTimesOutAndBytesSentMeanwhileReachTheNext(Transport transport) throws Exception {
        InetSocketAddress silent = silentServer();
        TestServer echo = track(TestServer.echo());
        router = new TestRouter(List.of(silent, echo.address()), Duration.ofMillis(300), Duration.ZERO);
        InetSocketAddress frontend = start(transport);

        long start = System.nanoTime();
        String reply = exchange(frontend, "sent before any server answered");

        assertThat(reply).isEqualTo("sent before any server answered");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the connect timeout").isGreaterThan(Duration.ofMillis(250));
        assertThat(router.selects.get()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void noServerClosesClientAtOnceAndKeepsCountersBalanced(Transport transport) throws Exception {
        router = new TestRouter(List.of(), Duration.ofSeconds(2), Duration.ZERO);
        InetSocketAddress frontend = start(transport);

        try (Socket client = connect(frontend)) {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> router.frontend.closed.get() == 1);
        assertThat(router.frontend.opened.get()).isEqualTo(1);
        assertThat(router.servers.opened.get()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void allServersRefusingClosesClientAfterBoundedAttempts(Transport transport) throws Exception {
        List<InetSocketAddress> refusing = new ArrayList<>();
        for (int i = 0; i < Connector.MAX_ATTEMPTS + 2; i++) {
            refusing.add(closedPort());
        }
        router = new TestRouter(refusing, Duration.ofSeconds(2), Duration.ZERO);
        InetSocketAddress frontend = start(transport);

        try (Socket client = connect(frontend)) {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }

        assertThat(router.selects.get()).isEqualTo(Connector.MAX_ATTEMPTS);
        await().atMost(Duration.ofSeconds(5)).until(() -> router.frontend.closed.get() == 1);
        assertThat(router.servers.opened.get()).isZero();
    }

    private InetSocketAddress start(Transport transport) {
        proxy = new ProxyServer(router, 2, transport);
        return proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Sends a message, half-closes, and reads the whole reply; the echo server closes after echoing. */
    private static String exchange(InetSocketAddress frontend, String message) throws IOException {
        try (Socket client = connect(frontend)) {
            client.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Socket connect(InetSocketAddress frontend) throws IOException {
        Socket client = new Socket(frontend.getAddress(), frontend.getPort());
        client.setSoTimeout(10_000);
        return client;
    }

    /** A loopback port with nothing listening: connecting is refused at once. */
    private static InetSocketAddress closedPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), Tcp.freeLoopbackPort());
    }

    /** A listener whose accept queue is full, so that the kernel drops new SYNs and connects time out. */
    private InetSocketAddress silentServer() throws IOException {
        ServerSocket listener = track(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        for (int i = 0; i < 10; i++) {
            Socket filler = track(new Socket());
            try {
                filler.connect(listener.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException e) {
                return (InetSocketAddress) listener.getLocalSocketAddress();
            }
        }
        throw new IllegalStateException("accept queue: never full (expected: full after a few connects)");
    }
}
