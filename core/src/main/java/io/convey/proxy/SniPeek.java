package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the server name of a TLS ClientHello without terminating TLS: the connection's first bytes are held, the
 * name goes on in the {@link ConnectionOrigin} event that lets the {@link Connector} pick a pool, and every byte held
 * is then passed on unchanged for the chosen server.
 *
 * <p>Netty's {@link AbstractSniHandler} does the parsing (its superclass gathers a ClientHello fragmented over TLS
 * records and TCP segments, bounded by a maximum length, and reports non-TLS first bytes as "no ClientHello"); it
 * never consumes the bytes, which its {@code ByteToMessageDecoder} hands on when this handler leaves the pipeline.
 * Its own timeout is off (0) because it closes the connection: here a timeout or non-TLS bytes go to the frontend's
 * default pool or are refused, per {@code sni_mismatch}. The timeout starts once the client is known (after a
 * PROXY header, if one is expected). Confined to the client's event loop.
 */
final class SniPeek extends AbstractSniHandler<String> {
    static final String NAME = "sni-peek";
    /** Netty's default bound: "big enough for almost everything in practice" (a ClientHello is about 0.5-2 KB). */
    static final int MAX_CLIENT_HELLO = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SniPeek.class);

    private final Preamble preamble;
    private final Timer timer;
    private ConnectionOrigin origin;
    private Timeout timeout;
    /** Whether the last lookup was given a ClientHello; false for non-TLS or malformed first bytes. */
    private boolean clientHello;
    private boolean decided;

    SniPeek(Preamble preamble, Timer timer) {
        super(MAX_CLIENT_HELLO, 0);
        this.preamble = preamble;
        this.timer = timer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        if (!preamble.acceptProxy()) {
            known(ctx, ConnectionOrigin.of((SocketChannel) ctx.channel()));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof ConnectionOrigin from) {
            known(ctx, from);
            return;
        }
        super.userEventTriggered(ctx, event);
        if (event instanceof ChannelInputShutdownEvent && origin != null) {
            // EOF before a whole ClientHello: nothing more will come.
            mismatch(ctx);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (decided) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        // The parser closes the connection itself on a ClientHello over the bound and on a TLS alert or
        // change-cipher-spec record of impossible length (NotSslRecordException): only the count is left to do.
        decided = true;
        cancelTimeout();
        log.debug("unreadable ClientHello, closing client={} cause={}", ctx.channel().remoteAddress(), cause.toString());
        ctx.fireUserEventTriggered(cause instanceof TooLongFrameException ? Refusal.CLIENT_HELLO_TOO_LARGE
                : Refusal.NOT_TLS);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimeout();
        super.channelInactive(ctx);
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, ByteBuf hello) throws Exception {
        clientHello = hello != null;
        return super.lookup(ctx, hello);
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(hostname);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<String> future) {
        if (decided) {
            return;
        }
        if (!clientHello) {
            mismatch(ctx);
        } else {
            route(ctx, hostname);
        }
    }

    private void known(ChannelHandlerContext ctx, ConnectionOrigin from) {
        origin = from;
        // Fires on the timer's thread (see ProxyContext); the decision runs on the channel's event loop.
        timeout = timer.newTimeout(t -> ctx.executor().execute(() -> mismatch(ctx)), preamble.sniTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** No usable ClientHello: the default pool, or a refusal. */
    private void mismatch(ChannelHandlerContext ctx) {
        if (decided) {
            return;
        }
        if (preamble.rejectNonTls()) {
            decided = true;
            cancelTimeout();
            log.debug("no TLS ClientHello, closing client={}", origin.client());
            ctx.fireUserEventTriggered(Refusal.NOT_TLS);
            ctx.close();
        } else {
            route(ctx, null);
        }
    }

    /**
     * Leaves the pipeline, which hands on the bytes held (the ClientHello), and lets the Connector pick the pool.
     * Removal during a decode is deferred by Netty until that decode returns, so the bytes may follow the event: the
     * Connector holds them until the server is connected either way.
     */
    private void route(ChannelHandlerContext ctx, String hostname) {
        decided = true;
        cancelTimeout();
        if (origin == null) {
            // A ClientHello before the PROXY header's origin cannot happen: the header decoder holds every byte.
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(origin.withServerName(hostname));
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
        }
    }
}
