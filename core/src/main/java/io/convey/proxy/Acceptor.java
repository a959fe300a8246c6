package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each connection a frontend's listener accepts: sets it up and registers it on one of the proxy's event
 * loops, with the {@link Connector} as its only handler.
 *
 * <p>This is what Netty's {@code ServerBootstrap} acceptor does, without its per-connection generality: no
 * {@code ChannelInitializer} added and removed again (with its map of initialized contexts), no option map
 * applied through {@code setOption}, no attributes. Before registration it also sets an epoll channel's
 * interest set (EPOLLIN, and EPOLLERR for half-close), so that registration's epoll_ctl(ADD) carries both:
 * starting to read costs no epoll_ctl(MOD), nor does keeping EPOLLERR when the client's EOF comes first.
 * AUTO_READ stays on from the start (the Connector holds what arrives before the server connects).
 *
 * <p>Sits on the listener's pipeline after {@link AcceptErrors}; runs on the listener's event loop.
 */
final class Acceptor extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

    private final String frontend;
    private final ProxyContext context;
    private final EventLoopGroup group;

    Acceptor(String frontend, ProxyContext context, EventLoopGroup group) {
        this.frontend = frontend;
        this.context = context;
        this.group = group;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof SocketChannel child)) {
            ctx.fireChannelRead(msg);
            return;
        }
        EpollHalfClose.keepRegistered(child);
        EpollHalfClose.readFromStart(child);
        // Java-side settings only: TCP_NODELAY is already Netty's default on every platform but Android, and
        // setting it again would cost a setsockopt per connection.
        child.config().setAllowHalfClosure(true).setWriteBufferWaterMark(Relay.WATER_MARK);
        Preamble preamble = preamble();
        if (preamble == null) {
            forceClose(child, new IllegalStateException("no preamble"));
            return;
        }
        if (preamble.acceptProxy()) {
            // Netty's decoder reads v1 and v2 (HAProxy's proxy-protocol.txt) and leaves the pipeline once done.
            child.pipeline().addLast(ProxyHeaderReader.DECODER_NAME, new HAProxyMessageDecoder())
                    .addLast(ProxyHeaderReader.NAME, new ProxyHeaderReader(preamble, context.preambleTimer()));
        }
        if (preamble.peekSni()) {
            child.pipeline().addLast(SniPeek.NAME, new SniPeek(preamble, context.preambleTimer()));
        }
        child.pipeline().addLast(Connector.NAME, new Connector(frontend, context, !preamble.none()));
        try {
            group.register(child).addListener(registered -> {
                if (!registered.isSuccess()) {
                    forceClose(child, registered.cause());
                }
            });
        } catch (RuntimeException e) {
            forceClose(child, e);
        }
    }

    private Preamble preamble() {
        try {
            return context.router().preamble(frontend);
        } catch (RuntimeException e) {
            // Not Preamble.NONE: an accept_proxy frontend must not take a connection's socket address as its client.
            log.warn("router failed frontend={}", frontend, e);
            return null;
        }
    }

    private void forceClose(Channel child, Throwable cause) {
        child.unsafe().closeForcibly();
        log.debug("accepted connection not registered, closed frontend={} cause={}", frontend, cause.toString());
    }
}
