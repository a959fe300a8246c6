package io.convey.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the PROXY protocol header that Netty's {@code HAProxyMessageDecoder} (just before it in the pipeline) reads
 * on an {@code accept_proxy} frontend, turns it into the connection's {@link ConnectionOrigin} and passes that on as
 * a user event; refuses the connection when no valid header arrives within the timeout.
 *
 * <p>A LOCAL command (an upstream balancer's own health check) or an UNKNOWN/UNIX family carries no client: the
 * socket's addresses stay in effect, as the protocol's specification asks. Confined to the client's event loop.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
    static final String NAME = "proxy-header";
    static final String DECODER_NAME = "proxy-header-decoder";
    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderReader.class);

    private final Preamble preamble;
    private final Timer timer;
    private Timeout timeout;
    private boolean done;

    ProxyHeaderReader(Preamble preamble, Timer timer) {
        this.preamble = preamble;
        this.timer = timer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Fires on the timer's thread; the refusal runs on the channel's event loop like everything else here.
        timeout = timer.newTimeout(t -> ctx.executor().execute(() -> refuse(ctx, Refusal.PROXY_HEADER_MISSING)),
                preamble.proxyTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ConnectionOrigin origin;
        try {
            origin = origin((SocketChannel) ctx.channel(), header);
        } finally {
            header.release();
        }
        done = true;
        timeout.cancel();
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(origin);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        ctx.fireUserEventTriggered(event);
        if (event instanceof ChannelInputShutdownEvent) {
            refuse(ctx, Refusal.PROXY_HEADER_MISSING);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        log.debug("invalid PROXY header, closing client={} cause={}", ctx.channel().remoteAddress(), cause.toString());
        refuse(ctx, Refusal.PROXY_HEADER_INVALID);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel();
        }
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, Refusal reason) {
        if (done) {
            return;
        }
        done = true;
        if (timeout != null) {
            timeout.cancel();
        }
        ctx.fireUserEventTriggered(reason);
        ctx.close();
    }

    private static ConnectionOrigin origin(SocketChannel channel, HAProxyMessage header) {
        HAProxyProxiedProtocol protocol = header.proxiedProtocol();
        boolean inet = protocol.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                || protocol.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_IPv6;
        if (header.command() == HAProxyCommand.LOCAL || !inet) {
            return ConnectionOrigin.of(channel);
        }
        // Literals only (the decoder has checked their syntax): no name lookup on the event loop.
        InetSocketAddress client = new InetSocketAddress(InetAddress.ofLiteral(header.sourceAddress()), header.sourcePort());
        InetSocketAddress destination = new InetSocketAddress(InetAddress.ofLiteral(header.destinationAddress()),
                header.destinationPort());
        return new ConnectionOrigin(client, destination, channel.remoteAddress(), null);
    }
}
