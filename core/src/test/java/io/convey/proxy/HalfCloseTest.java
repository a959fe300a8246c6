package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.TestServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class HalfCloseTest {
    private static final int REQUEST = 300_000;
    private static final int REPLY = 32 << 20;

    private TestServer backend;
    private ProxyServer proxy;
    private TestRouter router;

    @AfterEach
    void tearDown() throws Exception {
        if (proxy != null) {
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
            assertThat(router.balanced()).isTrue();
            proxy.close();
        }
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientEofReachesServerWhichThenReplies(Transport transport) throws Exception {
        CompletableFuture<Integer> received = new CompletableFuture<>();
        backend = TestServer.start(socket -> {
            received.complete(socket.getInputStream().readAllBytes().length);
            socket.getOutputStream().write(bytes(REPLY));
        });
        InetSocketAddress frontend = startProxy(transport);

        try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
            client.getOutputStream().write(bytes(REQUEST));
            client.shutdownOutput();
            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(REQUEST);
            // Not reading yet fills the socket buffers, so the proxy must wait to write to a half-closed socket.
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.pendingWriteBytes() > 0);
            byte[] reply = client.getInputStream().readAllBytes();

            assertThat(reply).isEqualTo(bytes(REPLY));
        }
        assertThat(router.servers.fromClient.get()).isEqualTo(REQUEST);
        assertThat(router.servers.fromServer.get()).isEqualTo(REPLY);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void serverEofReachesClientWhichThenReplies(Transport transport) throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        backend = TestServer.start(socket -> {
            socket.getOutputStream().write(bytes(REPLY));
            socket.shutdownOutput();
            received.complete(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        });
        InetSocketAddress frontend = startProxy(transport);

        try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
            InputStream in = client.getInputStream();
            byte[] greeting = in.readAllBytes();
            client.getOutputStream().write("thanks".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            assertThat(greeting).isEqualTo(bytes(REPLY));
            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("thanks");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    /** {@code half_close = false}: the server's FIN closes both sides once what it sent has reached the client. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void withoutHalfCloseTheServersEofEndsTheClientsSideToo(Transport transport) throws Exception {
        CompletableFuture<Integer> afterItsEof = new CompletableFuture<>();
        backend = TestServer.start(socket -> {
            socket.getOutputStream().write(bytes(REPLY));
            socket.shutdownOutput();
            afterItsEof.complete(socket.getInputStream().readAllBytes().length);
        });
        InetSocketAddress frontend = startProxy(transport, false);

        try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
            // Not reading yet: the proxy holds part of the reply when the server's FIN comes, and must write it first.
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.pendingWriteBytes() > 0);
            byte[] reply = client.getInputStream().readAllBytes();

            assertThat(reply).isEqualTo(bytes(REPLY));
            // The client never wrote nor closed: the server's connection was closed by the proxy.
            assertThat(afterItsEof.get(5, TimeUnit.SECONDS)).isZero();
        }
        assertThat(router.servers.fromServer.get()).isEqualTo(REPLY);
    }

    /** {@code half_close = false}: the client's FIN closes both sides once what it sent has reached the server. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void withoutHalfCloseTheClientsEofEndsTheServersSideToo(Transport transport) throws Exception {
        CompletableFuture<Integer> received = new CompletableFuture<>();
        CompletableFuture<Void> clientSawEof = new CompletableFuture<>();
        backend = TestServer.start(socket -> {
            received.complete(socket.getInputStream().readAllBytes().length);
            try {
                clientSawEof.get(10, TimeUnit.SECONDS); // the server keeps its side open meanwhile
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        });
        InetSocketAddress frontend = startProxy(transport, false);

        try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write(bytes(REQUEST));
            client.shutdownOutput();

            assertThat(client.getInputStream().read()).isEqualTo(-1);
            clientSawEof.complete(null);
            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(REQUEST);
        }
        assertThat(router.servers.fromClient.get()).isEqualTo(REQUEST);
    }

    private InetSocketAddress startProxy(Transport transport) {
        return startProxy(transport, true);
    }

    private InetSocketAddress startProxy(Transport transport, boolean halfClose) {
        router = TestRouter.of(backend.address());
        if (!halfClose) {
            router.withoutHalfClose();
        }
        proxy = new ProxyServer(router, 2, transport);
        assertThat(proxy.transport()).isEqualTo(transport.label());
        return proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();
    }

    /** A recognizable pattern, so that a lost or reordered chunk shows up in the comparison. */
    static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        return bytes;
    }
}
