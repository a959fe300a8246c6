package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves bytes read on one side of a flow to the other; one instance sits on each side.
 *
 * <p>Backpressure: a side reads on its own (AUTO_READ) while its peer is writable. When a write leaves more
 * than the peer's high-water mark queued even after a flush (the peer's socket buffer is full), the side stops
 * reading, which also ends Netty's current read loop; it reads again once the peer drains below its low-water
 * mark. At most the high-water mark plus one read is buffered per direction. Toggling AUTO_READ only at those
 * moments, rather than asking for each read, saves two epoll_ctl calls per read.
 */
final class Relay extends ChannelInboundHandlerAdapter {
    static final String NAME = "relay";
    /** Per-channel outbound queue limits; large enough that a bulk read loop rarely crosses them. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 << 10, 256 << 10);
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final Flow flow;
    private final boolean fromClient;

    Relay(Flow flow, boolean fromClient) {
        this.flow = flow;
        this.fromClient = fromClient;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel peer = flow.forward(fromClient, (ByteBuf) msg);
        if (!peer.isWritable()) {
            peer.flush();
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flow.report();
        flow.peer(fromClient).flush();
        EpollHalfClose.readLoopDone(ctx.channel());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            resume(flow.peer(fromClient));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            EpollHalfClose.keepRegistered(ctx.channel());
            // Clears the read interest now; with AUTO_READ on, Netty would keep it and wake up once more.
            ctx.channel().config().setAutoRead(false);
            flow.inputShutdown(fromClient);
        } else if (event instanceof IdleStateEvent) {
            log.debug("flow idle, closing client={}", ctx.channel().remoteAddress());
            flow.end(io.convey.traffic.Ending.IDLE_TIMEOUT);
            flow.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flow.end(fromClient ? io.convey.traffic.Ending.CLIENT_CLOSED : io.convey.traffic.Ending.SERVER_CLOSED);
        flow.closeOnFlush(flow.peer(fromClient));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("flow error, closing channel={} cause={}", ctx.channel().remoteAddress(), cause.toString(), cause);
        if (!fromClient && cause instanceof java.io.IOException) {
            // An I/O error on the server's socket (a reset, mostly): live traffic failing, for passive health.
            flow.serverReset();
        }
        ctx.close();
    }

    /** Lets a side read on its own again; reading after EOF makes epoll fail with ENOENT, hence the guard. */
    static void resume(Channel channel) {
        if (channel != null && channel.isActive() && !((DuplexChannel) channel).isInputShutdown()) {
            channel.config().setAutoRead(true);
        }
    }
}
