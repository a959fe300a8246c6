package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sets an accepted connection's epoll interest set (EPOLLIN, and EPOLLERR for half-close) before Netty's
 * acceptor registers it, so registration's epoll_ctl(ADD) carries both: starting to read costs no
 * epoll_ctl(MOD), nor does keeping EPOLLERR when the client's EOF comes first (measured: 10 to 9 epoll_ctl calls
 * per proxied connection).
 *
 * <p>Sits on the listener's pipeline ahead of Netty's acceptor, which receives each accepted channel as a
 * message and registers it; runs on the listener's event loop, where the child is not yet registered.
 */
final class AcceptedInterest extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            EpollHalfClose.keepRegistered(child);
            EpollHalfClose.readFromStart(child);
        }
        ctx.fireChannelRead(msg);
    }
}
