package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.convey.testing.TestServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class ListenerTest {
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
    void bindResolvesPortZeroAndReportsTakenPortsAsBindException(Transport transport) {
        proxy = new ProxyServer(TestRouter.of(), 1, transport);

        InetSocketAddress bound = proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();

        assertThat(bound.getPort()).isPositive();
        assertThat(proxy.localAddress("web")).isEqualTo(bound);
        assertThat(proxy.boundFrontends()).isEqualTo(Set.of("web"));
        assertThatThrownBy(() -> proxy.bind("api", bound).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(BindException.class);
        assertThatThrownBy(() -> proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join())
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(proxy.boundFrontends()).isEqualTo(Set.of("web"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenerKeepsAcceptingAfterRunningOutOfFileDescriptors(Transport transport) throws Throwable {
        InetSocketAddress frontend = frontendToEcho(transport);
        AcceptErrors acceptErrors = proxy.listener("web").pipeline().get(AcceptErrors.class);
        // One flow first, so that every class the test and the proxy need is loaded before descriptors run out.
        try (Socket warmUp = connect(new Socket(), frontend)) {
            assertThat(echo(warmUp)).isEqualTo("ping");
        }
        await().until(() -> proxy.activeConnections() == 0);

        // Bound before the limit drops: the client's descriptor exists, only the proxy's accept lacks one.
        try (Socket client = new Socket()) {
            client.bind(new InetSocketAddress("127.0.0.1", 0));
            long original = FileLimit.soft();
            try {
                FileLimit.setSoft(FileLimit.lowestFree());
                connect(client, frontend);
                if (transport == Transport.IO_URING) {
                    // The kernel reads the limit when io_uring's multishot accept is armed, before it dropped: the
                    // accept succeeds, the server socket cannot be opened, and the flow closes the client.
                    assertThat(client.getInputStream().read()).isEqualTo(-1);
                } else {
                    await().atMost(Duration.ofSeconds(5)).until(() -> acceptErrors.errors() > 0);
                }
            } finally {
                FileLimit.setSoft(original);
            }
            if (transport == Transport.IO_URING) {
                try (Socket next = connect(new Socket(), frontend)) {
                    assertThat(echo(next)).isEqualTo("ping");
                }
            } else {
                assertThat(echo(client)).isEqualTo("ping");
            }
        }
        assertThat(proxy.boundFrontends()).isEqualTo(Set.of("web"));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
    }

    /**
     * Connections waiting in the backlog are taken in one wake-up: Netty's default for server channels reads one per
     * wake-up, which made the event loop poll once per connection under load. The loop is held busy while ten clients
     * connect (the kernel completes their handshakes and queues them), then counted: ten accepts, one read loop.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectionsInTheBacklogAreAcceptedInOneWakeUp(Transport transport) throws Exception {
        InetSocketAddress frontend = frontendToEcho(transport);
        Channel listener = proxy.listener("web");
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger readLoops = new AtomicInteger();
        listener.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                accepted.incrementAndGet();
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                readLoops.incrementAndGet();
                ctx.fireChannelReadComplete();
            }
        });
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        listener.eventLoop().execute(() -> {
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                clients.add(connect(new Socket(), frontend)); // established by the kernel, not yet accepted
            }
            release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() == 10);
            assertThat(readLoops.get()).isEqualTo(1);
            for (Socket client : clients) {
                assertThat(echo(client)).isEqualTo("ping");
            }
        } finally {
            release.countDown();
            for (Socket client : clients) {
                client.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
    }

    /**
     * A frontend's max_connections counts each connection once. One closed at accept because the router failed was
     * never counted, but it used to be uncounted all the same, which left the limit one higher for good: at
     * max_connections 1 a second client was then served beside the first instead of waiting in the backlog.
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

        try (Socket turnedAway = connect(new Socket(), frontend)) {
            assertThat(turnedAway.getInputStream().read()).isEqualTo(-1); // closed at accept
        }
        try (Socket one = connect(new Socket(), frontend)) {
            assertThat(echo(one)).isEqualTo("ping");
            try (Socket two = connect(new Socket(), frontend)) { // completes in the kernel's backlog
                two.setSoTimeout(1_000);
                assertThatThrownBy(() -> echo(two)).as("the second client waits while the first is open")
                        .isInstanceOf(SocketTimeoutException.class);
                one.close();
                two.setSoTimeout(10_000);
                assertThat(new String(two.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
    }

    /** Sockets are opened in their address's family, so an IPv6 frontend must still reach an IPv4 server. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void ipv6FrontendRelaysToIpv4Server(Transport transport) throws IOException {
        backend = TestServer.echo();
        assertThat(backend.address().getAddress()).isInstanceOf(Inet4Address.class);
        proxy = new ProxyServer(TestRouter.of(backend.address()), 1, transport);

        InetSocketAddress frontend = proxy.bind("web", new InetSocketAddress("::1", 0)).join();

        assertThat(frontend.getAddress()).isInstanceOf(Inet6Address.class);
        try (Socket client = connect(new Socket(), frontend)) {
            assertThat(echo(client)).isEqualTo("ping");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
    }

    /** An echo server behind frontend "web" on one event loop; returns the frontend's address. */
    private InetSocketAddress frontendToEcho(Transport transport) {
        backend = TestServer.echo();
        proxy = new ProxyServer(TestRouter.of(backend.address()), 1, transport);
        return proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();
    }

    private static Socket connect(Socket socket, InetSocketAddress frontend) throws IOException {
        socket.setSoTimeout(10_000);
        socket.connect(frontend, 10_000);
        return socket;
    }

    private static String echo(Socket socket) throws IOException {
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(ping);
        return new String(socket.getInputStream().readNBytes(ping.length), StandardCharsets.US_ASCII);
    }
}
