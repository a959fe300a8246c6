package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private InetSocketAddress listen(CompletableFuture<SocketChannel> accepted) throws Exception {
        return listen(accepted, new InetSocketAddress("127.0.0.1", 0));
    }

    private InetSocketAddress listen(CompletableFuture<SocketChannel> accepted, InetSocketAddress bind)
            throws Exception {
        EpollProxyListener epoll = (EpollProxyListener) Transport.EPOLL.newServerChannel(bind);
        epoll.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                SocketChannel child = (SocketChannel) msg;
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
