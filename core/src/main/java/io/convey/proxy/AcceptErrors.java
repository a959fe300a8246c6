package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a listener accepting after an accept error (EMFILE, ENFILE, ENOBUFS...), which ended the original's
 * accept loop for good.
 *
 * <p>Sits on the listener's own pipeline, so it runs on that listener's event loop only. Errors are logged
 * at most once per {@link #LOG_INTERVAL_NANOS} with a count of those suppressed, and accepting pauses
 * briefly: with a full descriptor table the pending connection is reported again at once, and retrying in a
 * tight loop would burn a core. The error is not passed on, so Netty's own acceptor does not log it again.
 */
final class AcceptErrors extends ChannelInboundHandlerAdapter {
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long PAUSE_MILLIS = 100;
    private static final Logger log = LoggerFactory.getLogger(AcceptErrors.class);

    private final String frontend;
    private long lastLogNanos;
    private boolean loggedOnce;
    private long suppressed;
    private volatile long errors;

    AcceptErrors(String frontend) {
        this.frontend = frontend;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors++;
        long now = System.nanoTime();
        if (!loggedOnce || now - lastLogNanos >= LOG_INTERVAL_NANOS) {
            log.warn("accept failed, listener keeps accepting frontend={} listen={} suppressed={} cause={}",
                    frontend, ctx.channel().localAddress(), suppressed, cause.toString());
            loggedOnce = true;
            lastLogNanos = now;
            suppressed = 0;
        } else {
            suppressed++;
        }
        pause(ctx.channel());
    }

    /** Accept errors seen so far; written on the listener's event loop only. */
    long errors() {
        return errors;
    }

    private static void pause(Channel listener) {
        if (!listener.config().isAutoRead()) {
            return;
        }
        listener.config().setAutoRead(false);
        listener.eventLoop().schedule(() -> {
            if (listener.isOpen()) {
                listener.config().setAutoRead(true);
            }
        }, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
