package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The epoll channels skip Netty's per-connection reads; what they no longer read must still hold. */
@Timeout(30)
class EpollProxyChannelTest {
    private EventLoopGroup group;
    private Channel listener;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, Transport.EPOLL.ioHandlerFactory());
    }

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void acceptedSocketInheritsNoDelayFromTheListenerAndKnowsBothAddresses() throws Exception {
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        InetSocketAddress address = listen(accepted);

        try (Socket client = new Socket(address.getAddress(), address.getPort())) {
            SocketChannel child = accepted.get(5, TimeUnit.SECONDS);

            assertThat(child).isInstanceOf(EpollProxyChannel.class);
            // No setsockopt on the accepted socket: Linux copies TCP_NODELAY from the listener.
            assertThat(child.config().isTcpNoDelay()).isTrue();
            assertThat(child.remoteAddress()).isEqualTo(client.getLocalSocketAddress());
            assertThat(child.localAddress()).isEqualTo(address);
            assertThat(child.parent()).isSameAs(listener);
        }
    }

    @Test
    void onAWildcardListenerTheAcceptedSocketReportsTheAddressTheClientReachedNotTheWildcard() throws Exception {
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        InetSocketAddress address = listen(accepted, new InetSocketAddress("0.0.0.0", 0));

        try (Socket client = new Socket("127.0.0.3", address.getPort())) {
            SocketChannel child = accepted.get(5, TimeUnit.SECONDS);

            // A listener bound to one address hands its own to the sockets it accepts; a wildcard one cannot.
            assertThat(child.localAddress()).isEqualTo(new InetSocketAddress("127.0.0.3", address.getPort()));
            assertThat(child.localAddress()).isEqualTo(client.getRemoteSocketAddress());
        }
    }

    @Test
    void connectToLoopbackIsActiveWithNoDelayAndTheAddressAskedFor() throws Exception {
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        InetSocketAddress address = listen(accepted);
        EpollProxyChannel client = (EpollProxyChannel) Transport.EPOLL.newSocketChannel(address);
        group.next().register(client).sync();

        client.connect(address).sync();

        assertThat(client.isActive()).isTrue();
        assertThat(client.config().isTcpNoDelay()).isTrue();
        assertThat(client.remoteAddress()).isEqualTo(address);
        SocketChannel child = accepted.get(5, TimeUnit.SECONDS);
        assertThat(client.localAddress()).isEqualTo(child.remoteAddress());
        client.close().sync();
    }

    @Test
    void positiveLingerIsRefusedBecauseCloseWouldBlockTheEventLoop() {
        EpollProxyChannel channel = (EpollProxyChannel) Transport.EPOLL.newSocketChannel(
                new InetSocketAddress("127.0.0.1", 1));
        try {
            assertThatThrownBy(() -> channel.config().setOption(ChannelOption.SO_LINGER, 5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("soLinger: 5 (expected: <= 0; a lingering close would block the event loop)");
            assertThat(channel.config().setOption(ChannelOption.SO_LINGER, 0)).isTrue();
            assertThat(channel.config().getSoLinger()).isZero();
        } finally {
            channel.unsafe().closeForcibly();
        }
    }

    /**
     * At a peer's EOF the relay clears both read interests with one epoll_ctl before Netty's input shutdown (whose
     * own two calls then find nothing to clear): the half-closed socket keeps only EPOLLERR, reads no more, and
     * still writes. If a later Netty renames the field this reads, the interest is null and this test says so.
     */
    @Test
    void atEofTheInterestSetKeepsOnlyErrorsAndTheSocketStillWrites() throws Exception {
        CompletableFuture<EpollIoOps> atShutdown = new CompletableFuture<>();
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        InetSocketAddress address = listen(accepted, new InetSocketAddress("127.0.0.1", 0), child -> {
            child.config().setAllowHalfClosure(true);
            EpollHalfClose.keepRegistered(child);
            child.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    EpollHalfClose.readLoopDone(ctx.channel());
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    if (event instanceof ChannelInputShutdownEvent) {
                        EpollProxyChannel channel = (EpollProxyChannel) ctx.channel();
                        atShutdown.complete(channel.config().isAutoRead() ? null : channel.interest());
                        ctx.writeAndFlush(Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII));
                    }
                }
            });
        });

        try (Socket client = new Socket(address.getAddress(), address.getPort())) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            assertThat(atShutdown.get(5, TimeUnit.SECONDS)).isEqualTo(EpollIoOps.EPOLLERR);
            assertThat(new String(client.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("bye");
            assertThat(accepted.get().isOpen()).isTrue();
        }
    }

    private InetSocketAddress listen(CompletableFuture<SocketChannel> accepted) throws Exception {
        return listen(accepted, new InetSocketAddress("127.0.0.1", 0));
    }

    private InetSocketAddress listen(CompletableFuture<SocketChannel> accepted, InetSocketAddress bind)
            throws Exception {
        return listen(accepted, bind, child -> { });
    }

    /** A listener that hands each accepted socket to {@code setUp} before registering it. */
    private InetSocketAddress listen(CompletableFuture<SocketChannel> accepted, InetSocketAddress bind,
            Consumer<SocketChannel> setUp) throws Exception {
        EpollProxyListener epoll = (EpollProxyListener) Transport.EPOLL.newServerChannel(bind);
        epoll.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                SocketChannel child = (SocketChannel) msg;
                setUp.accept(child);
                accepted.complete(child);
                ctx.channel().eventLoop().register(child);
            }
        });
        group.next().register(epoll).sync();
        epoll.bind(bind).sync();
        listener = epoll;
        return epoll.localAddress();
    }
}
