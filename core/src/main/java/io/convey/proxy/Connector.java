package io.convey.proxy;

import io.convey.traffic.Ending;
import io.convey.traffic.FrontendGuard;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the server side of a newly accepted client: asks the router for a server, connects, fails over to
 * the next server on refusal or timeout, then hands both channels to {@link Relay}s and leaves the pipeline.
 *
 * <p>The client reads from the start (AUTO_READ on, EPOLLIN set at registration, see {@link Acceptor}), so
 * bytes and an EOF can arrive before the server connects; they are held here, at most about the relay's
 * high-water mark before the client stops reading, and replayed through the relay once connected.
 */
final class Connector extends ChannelInboundHandlerAdapter {
    static final String NAME = "connector";
    /** Connect attempts per client; the router also stops offering servers once all were tried. */
    static final int MAX_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    private final String frontend;
    private final ProxyContext context;
    /** Whether a preamble handler before this one sends the {@link ConnectionOrigin} once it is known. */
    private final boolean awaitOrigin;
    /** Whether the frontend's allow/deny lists and rate limit wait for the PROXY header's client (accept_proxy). */
    private final boolean guardOrigin;
    /** Immutable, replaced per attempt (at most {@link #MAX_ATTEMPTS}): the router gets it without a copy. */
    private Set<InetSocketAddress> tried = Set.of();
    private final Queue<Object> early = new ArrayDeque<>();
    private long earlyBytes;
    private boolean earlyEof;
    private Flow flow;
    private Channel connecting;
    /** The server whose connect just failed, until the next attempt counts as its retry. */
    private Upstream failed;
    /** The place in the pool's queue while waiting for a slot, else null. */
    private Admission.Ticket waiting;
    private long queuedAt;
    private ScheduledFuture<?> queueTimer;

    /** The frontend's gate, told when this connection is done. */
    private final Runnable ended;

    Connector(String frontend, ProxyContext context, boolean awaitOrigin, boolean guardOrigin, Runnable ended) {
        this.frontend = frontend;
        this.context = context;
        this.awaitOrigin = awaitOrigin;
        this.guardOrigin = guardOrigin;
        this.ended = ended;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketChannel client = (SocketChannel) ctx.channel();
        FlowObserver observer = context.router().frontendObserver(frontend);
        context.active().increment();
        flow = new Flow(frontend, client, observer, () -> {
            context.active().decrement();
            ended.run();
        }, context.router().accessLog(frontend));
        flow.start();
        context.channels().add(client);
        if (!awaitOrigin) {
            connectNext(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
        if (msg instanceof ByteBuf bytes) {
            earlyBytes += bytes.readableBytes();
        }
        if (earlyBytes > Relay.WATER_MARK.high()) {
            // The relay's resume after connecting reads on.
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ConnectionOrigin origin) {
            // The preamble is read: the connection is routed as the client it names.
            flow.origin(origin);
            if (guardOrigin && refused(ctx, origin)) {
                return;
            }
            if (ctx.channel().isActive()) {
                connectNext(ctx);
            }
        } else if (event instanceof Refusal reason) {
            flow.refused(reason);
        } else if (event instanceof ChannelInputShutdownEvent) {
            EpollHalfClose.keepRegistered(ctx.channel());
            // As the relay does after EOF: clears the read interest rather than keep it until the server connects.
            ctx.channel().config().setAutoRead(false);
            earlyEof = true;
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flow.end(Ending.CLIENT_CLOSED);
        releaseEarly();
        if (waiting != null) {
            if (queueTimer != null) {
                queueTimer.cancel(false);
            }
            if (waiting.cancel(false)) {
                waiting = null;
                flow.leftQueue(System.nanoTime() - queuedAt);
            }
        }
        if (connecting != null) {
            connecting.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client error while connecting frontend={} client={} cause={}",
                frontend, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** The frontend's allow/deny lists and rate limit applied to the client a PROXY header named. */
    private boolean refused(ChannelHandlerContext ctx, ConnectionOrigin origin) {
        FrontendGuard guard = context.router().guard(frontend);
        if (guard.isOpen()) {
            return false;
        }
        // the traffic package's admission (allow/deny, rate limit), not this package's pool admission
        io.convey.traffic.Admission admission = guard.admit(origin.client().getAddress(), System.nanoTime());
        if (admission == io.convey.traffic.Admission.ADMITTED) {
            return false;
        }
        flow.end(Acceptor.ending(admission));
        Acceptor.reset(ctx.channel(), origin.client(), admission);
        return true;
    }

    private void connectNext(ChannelHandlerContext ctx) {
        SocketChannel client = (SocketChannel) ctx.channel();
        switch (admit(ctx, client)) {
            case Admission.Serve serve -> connect(ctx, serve.upstream());
            case Admission.Wait wait -> {
                waiting = wait.ticket();
                queuedAt = System.nanoTime();
                queueTimer = ctx.executor().schedule(() -> queueTimedOut(ctx), wait.timeout().toNanos(),
                        TimeUnit.NANOSECONDS);
                log.debug("queued frontend={} client={} timeout={}", frontend, flow.origin().client(), wait.timeout());
            }
            case Admission.Refuse refuse -> {
                log.debug("no server, closing frontend={} client={} reason={} tried={}", frontend,
                        flow.origin().client(), refuse.reason(), tried);
                if (!tried.isEmpty()) {
                    flow.end(Ending.CONNECT_FAILED); // servers were tried and failed; none is left
                }
                flow.refused(refuse.reason());
                ctx.close();
            }
        }
    }

    private Admission admit(ChannelHandlerContext ctx, SocketChannel client) {
        SlotWaiter waiter = upstream -> {
            try {
                ctx.executor().execute(() -> granted(ctx, upstream));
            } catch (RejectedExecutionException e) {
                upstream.observer().attemptEnded(); // the loop is shutting down: give the slot back
            }
        };
        return admit(context, frontend, flow.origin(), tried, waiter);
    }

    /** The router's admission of a connection; a router that fails refuses it (no server), logged. */
    static Admission admit(ProxyContext context, String frontend, ConnectionOrigin origin,
            Set<InetSocketAddress> tried, SlotWaiter waiter) {
        try {
            return context.router().admit(frontend, origin, tried, waiter);
        } catch (RuntimeException e) {
            log.warn("router failed frontend={} client={}", frontend, origin.client(), e);
            return new Admission.Refuse(Refusal.NO_SERVER);
        }
    }

    /** A slot freed for this queued connection; on this connection's loop. */
    private void granted(ChannelHandlerContext ctx, Upstream upstream) {
        waiting = null;
        if (queueTimer != null) {
            queueTimer.cancel(false);
        }
        flow.leftQueue(System.nanoTime() - queuedAt);
        if (!ctx.channel().isActive()) {
            upstream.observer().attemptEnded();
            return;
        }
        connect(ctx, upstream);
    }

    /** Closes the connection unless a slot was granted meanwhile (then {@link #granted} runs next). */
    private void queueTimedOut(ChannelHandlerContext ctx) {
        if (waiting != null && waiting.cancel(true)) {
            waiting = null;
            flow.leftQueue(System.nanoTime() - queuedAt);
            log.debug("queue timeout, closing frontend={} client={}", frontend, ctx.channel().remoteAddress());
            flow.refused(Refusal.QUEUE_TIMEOUT);
            ctx.close();
        }
    }

    private void connect(ChannelHandlerContext ctx, Upstream upstream) {
        SocketChannel client = (SocketChannel) ctx.channel();
        if (failed != null) {
            failed.observer().retried();
            failed = null;
        }
        tried = with(tried, upstream.address());
        SocketChannel server;
        try {
            server = openServer(upstream);
        } catch (ChannelException e) {
            // The socket could not even be created (EMFILE): fail over like a refused connect.
            upstream.observer().attemptEnded();
            connectFailed(ctx, upstream, e);
            return;
        }
        connecting = server;
        server.closeFuture().addListener(closed -> upstream.observer().attemptEnded());
        flow.trackAttempt(server);
        // Registration runs inline on this loop, so the connect that follows sees a registered channel.
        client.eventLoop().register(server);
        long started = System.nanoTime();
        server.connect(upstream.address()).addListener((ChannelFutureListener) done -> {
            long took = System.nanoTime() - started;
            if (done.isSuccess()) {
                upstream.observer().connectDone(took);
            }
            connectDone(ctx, upstream, done, took);
        });
    }

    /**
     * A server channel configured field by field instead of through a Bootstrap per connection (its option map,
     * resolver and initializer): none of these settings is a socket option, so none costs a system call.
     * AUTO_READ is on from the start: Netty starts reading when the channel becomes active, after the connect
     * listener has installed the relay.
     */
    private SocketChannel openServer(Upstream upstream) {
        SocketChannel server = context.transport().newSocketChannel(upstream.address());
        server.config()
                .setConnectTimeoutMillis((int) Math.min(upstream.connectTimeout().toMillis(), Integer.MAX_VALUE))
                .setAllowHalfClosure(true)
                .setWriteBufferWaterMark(Relay.WATER_MARK)
                .setAutoRead(true);
        // Before registration these only change the interest set the connect's epoll_ctl(ADD) gives epoll: no
        // epoll_ctl(MOD) to start reading once connected.
        EpollHalfClose.keepRegistered(server);
        EpollHalfClose.readFromStart(server);
        if (upstream.proxyHeader() != ProxyHeader.NONE || earlyBytes > 0) {
            // the header or the client's bytes in hand (a ClientHello read for SNI) are written when the connect
            // completes, and carry the handshake's ACK: HAProxy's tcp-smart-connect
            context.transport().delayHandshakeAck(server);
        }
        return server;
    }

    /** {@code set} with {@code address}, immutable (at most {@link #MAX_ATTEMPTS} entries). */
    static Set<InetSocketAddress> with(Set<InetSocketAddress> set, InetSocketAddress address) {
        if (set.isEmpty()) {
            return Set.of(address);
        }
        Set<InetSocketAddress> next = new HashSet<>(set);
        next.add(address);
        return Set.copyOf(next);
    }

    private void connectDone(ChannelHandlerContext ctx, Upstream upstream, ChannelFuture done, long took) {
        connecting = null;
        if (!ctx.channel().isActive()) {
            done.channel().close();
        } else if (done.isSuccess()) {
            startRelay(ctx, (SocketChannel) done.channel(), upstream, took);
        } else {
            done.channel().close();
            connectFailed(ctx, upstream, done.cause());
        }
    }

    private void connectFailed(ChannelHandlerContext ctx, Upstream upstream, Throwable cause) {
        Channel client = ctx.channel();
        log.debug("connect failed frontend={} client={} server={} attempt={} cause={}",
                frontend, client.remoteAddress(), upstream.address(), tried.size(), cause.toString());
        upstream.observer().connectFailed(cause instanceof ConnectTimeoutException);
        if (tried.size() < MAX_ATTEMPTS) {
            failed = upstream;
            connectNext(ctx);
        } else {
            log.debug("giving up frontend={} client={} tried={}", frontend, client.remoteAddress(), tried);
            flow.end(Ending.CONNECT_FAILED);
            ctx.close();
        }
    }

    private void startRelay(ChannelHandlerContext ctx, SocketChannel server, Upstream upstream, long connectNanos) {
        SocketChannel client = (SocketChannel) ctx.channel();
        flow.connected(server, upstream, connectNanos);
        context.channels().add(server);
        if (upstream.idleTimeout().isPositive()) {
            // On the client side only: it reads client-to-server bytes and writes server-to-client bytes.
            long nanos = upstream.idleTimeout().toNanos();
            client.pipeline().addBefore(NAME, "idle", new IdleStateHandler(0, 0, nanos, TimeUnit.NANOSECONDS));
        }
        server.pipeline().addLast(Relay.NAME, new Relay(flow, false));
        if (upstream.proxyHeader() != ProxyHeader.NONE) {
            // Netty's encoder writes v1 and v2. It is called with the relay's context rather than added to the
            // pipeline for the one write and removed (two pipeline changes per connection): it allocates from that
            // context, encodes, and writes the header from there toward the socket, where it leaves with the
            // client's first bytes.
            try {
                HAProxyMessageEncoder.INSTANCE.write(server.pipeline().lastContext(),
                        upstream.proxyHeader().message(flow.origin(), client::localAddress), server.voidPromise());
            } catch (Exception e) {
                // The encoder only fails on a message it cannot write, which message() does not build.
                throw new IllegalStateException("PROXY header not encoded", e);
            }
        }
        client.pipeline().replace(this, Relay.NAME, new Relay(flow, true));
        for (Object msg = early.poll(); msg != null; msg = early.poll()) {
            client.pipeline().fireChannelRead(msg);
        }
        client.pipeline().fireChannelReadComplete();
        if (earlyEof) {
            client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else if (server.isWritable()) {
            // Otherwise the server's writability event resumes the client.
            Relay.resume(client);
        }
    }

    private void releaseEarly() {
        for (Object msg = early.poll(); msg != null; msg = early.poll()) {
            ReferenceCountUtil.release(msg);
        }
    }
}
