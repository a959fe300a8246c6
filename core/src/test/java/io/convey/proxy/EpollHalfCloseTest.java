package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class EpollHalfCloseTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void shutdownOutputSendsFinKeepsReadingAndSkipsNettysShutdownOnNativeTransports(Transport transport) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) listener.getLocalSocketAddress();
            AtomicBoolean nettyShutdownEvent = new AtomicBoolean();
            CompletableFuture<String> reply = new CompletableFuture<>();
            SocketChannel channel = (SocketChannel) new Bootstrap()
                    .group(group)
                    .channelFactory(() -> transport.newSocketChannel(address))
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf bytes = (ByteBuf) msg;
                            reply.complete(bytes.toString(StandardCharsets.US_ASCII));
                            bytes.release();
                        }

                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                            if (event instanceof ChannelOutputShutdownEvent) {
                                nettyShutdownEvent.set(true);
                            }
                        }
                    })
                    .connect(address).sync().channel();
            try (Socket accepted = listener.accept()) {
                boolean direct = channel.eventLoop()
                        .submit(() -> EpollHalfClose.shutdownOutput(channel) || UringSockets.shutdownOutput(channel)).get();

                assertThat(direct).isEqualTo(transport != Transport.NIO);
                if (!direct) {
                    channel.shutdownOutput().sync();
                }
                assertThat(accepted.getInputStream().read()).isEqualTo(-1);
                assertThat(channel.eventLoop().submit(channel::isOutputShutdown).get()).isTrue();
                accepted.getOutputStream().write("late".getBytes(StandardCharsets.US_ASCII));
                assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("late");
                assertThat(nettyShutdownEvent.get()).isEqualTo(!direct);
            } finally {
                channel.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
