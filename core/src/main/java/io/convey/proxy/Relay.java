package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves bytes read on one side of a flow to the other; one instance sits on each side.
 *
 * <p>Backpressure is read-after-write: AUTO_READ is off, and a side is read again only once its peer is
 * writable, so at most the peer's write high-water mark plus one read is ever buffered per direction.
 */
final class Relay extends ChannelInboundHandlerAdapter {
    static final String NAME = "relay";
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final Flow flow;
    private final boolean fromClient;

    Relay(Flow flow, boolean fromClient) {
        this.flow = flow;
        this.fromClient = fromClient;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        flow.forward(fromClient, (ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel peer = flow.peer(fromClient);
        peer.flush();
        if (peer.isWritable()) {
            readMore(ctx.channel());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            readMore(flow.peer(fromClient));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            EpollHalfClose.keepRegistered(ctx.channel());
            flow.inputShutdown(fromClient);
        } else if (event instanceof IdleStateEvent) {
            log.debug("flow idle, closing client={}", ctx.channel().remoteAddress());
            flow.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flow.closeOnFlush(flow.peer(fromClient));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("flow error, closing channel={} cause={}", ctx.channel().remoteAddress(), cause.toString(), cause);
        ctx.close();
    }

    /** Reading after EOF makes epoll fail with ENOENT, hence the input-shutdown guard. */
    static void readMore(Channel channel) {
        if (channel.isActive() && !((DuplexChannel) channel).isInputShutdown()) {
            channel.read();
        }
    }
}
