package io.convey.proxy;

import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessSink;
import io.convey.traffic.Admission;
import io.convey.traffic.Ending;
import io.convey.traffic.FrontendGuard;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.net.InetSocketAddress;
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
 * <p>The frontend's {@code max_connections} is its {@link ListenerGate}: at the limit the listener stops accepting.
 * Connections that a read loop has already accepted past the limit are closed and counted.
 *
 * <p>Sits on the listener's pipeline after {@link AcceptErrors}; runs on the listener's event loop.
 */
final class Acceptor extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

    private final String frontend;
    private final ProxyContext context;
    private final ListenerGate gate;
    private final EventLoopGroup group;
    private final Channel listener;
    /** The preamble of the connection {@link #takeDirect} just declined, for its channel; on the listener's loop. */
    private Preamble declined;
    /** Whether the listener has TCP_DEFER_ACCEPT set; on the listener's loop. */
    private boolean deferring;

    /** TCP_DEFER_ACCEPT (netinet/tcp.h) at level IPPROTO_TCP. */
    private static final IntegerUnixChannelOption DEFER_ACCEPT = new IntegerUnixChannelOption("TCP_DEFER_ACCEPT", 6, 9);
    private static final int DEFER_ACCEPT_S = 1;

    Acceptor(String frontend, Channel listener, ProxyContext context, EventLoopGroup group) {
        this.frontend = frontend;
        this.context = context;
        this.gate = new ListenerGate(listener, () -> context.router().maxConnections(frontend));
        this.group = group;
        this.listener = listener;
        if (listener instanceof EpollProxyListener epoll) {
            epoll.taker(this::takeDirect);
        }
    }

    /**
     * On epoll, a connection to a frontend without a preamble is relayed without channels ({@link DirectFlow}) after
     * the same checks as below; a frontend with a preamble declines it here and it gets a channel.
     */
    private boolean takeDirect(int fd, InetSocketAddress remote, InetSocketAddress local) {
        Preamble preamble = preamble();
        if (preamble == null) {
            SocketCalls.close(fd);
            log.debug("accepted connection closed, no preamble frontend={}", frontend);
            return true;
        }
        if (!preamble.none()) {
            declined = preamble; // the channel's way starts with it: the router is asked once per connection
            return false;
        }
        if (deferring) {
            deferAccept(listener, false);
        }
        Admission refusal = refusal(remote);
        if (refusal != null) {
            SocketCalls.resetOnClose(fd);
            SocketCalls.close(fd);
            log.debug("connection refused client={} reason={}", remote, refusal);
            return true;
        }
        if (full()) {
            SocketCalls.close(fd);
            return true;
        }
        DirectFlow.start(frontend, context, (IoEventLoop) group.next(), fd, remote, local, gate::ended);
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg == EpollProxyListener.TAKEN) {
            return;
        }
        if (!(msg instanceof SocketChannel child)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Preamble preamble = declined != null ? declined : preamble();
        declined = null;
        if (preamble == null) {
            forceClose(child, new IllegalStateException("no preamble"));
            return;
        }
        if (preamble.none() == deferring) {
            deferAccept(listener, !preamble.none());
        }
        // On an accept_proxy frontend the peer is the balancer in front; the lists and the rate limit apply to the
        // client its PROXY header names, once read (Connector), as HAProxy's tcp-request session rules do.
        if (!preamble.acceptProxy()) {
            // The socket's peer: on an accept_proxy frontend this check waits for the header (ConnectionOrigin).
            InetSocketAddress client = child.remoteAddress();
            Admission refusal = refusal(client);
            if (refusal != null) {
                reset(child, client, refusal);
                return;
            }
        }
        // Refused connections above take no place under the frontend's max_connections.
        if (full()) {
            child.unsafe().closeForcibly();
            return;
        }
        EpollHalfClose.keepRegistered(child);
        EpollHalfClose.readFromStart(child);
        // Java-side settings only: TCP_NODELAY is already Netty's default on every platform but Android, and
        // setting it again would cost a setsockopt per connection.
        child.config().setAllowHalfClosure(true).setWriteBufferWaterMark(Relay.WATER_MARK);
        if (preamble.acceptProxy()) {
            // Netty's decoder reads v1 and v2 (HAProxy's proxy-protocol.txt) and leaves the pipeline once done.
            child.pipeline().addLast(ProxyHeaderReader.DECODER_NAME, new HAProxyMessageDecoder())
                    .addLast(ProxyHeaderReader.NAME, new ProxyHeaderReader(preamble, context.preambleTimer()));
        }
        if (preamble.peekSni()) {
            child.pipeline().addLast(SniPeek.NAME, new SniPeek(preamble, context.preambleTimer()));
        }
        child.pipeline().addLast(Connector.NAME,
                new Connector(frontend, context, !preamble.none(), preamble.acceptProxy(), gate::ended));
        try {
            group.register(child).addListener(registered -> {
                if (!registered.isSuccess()) {
                    forceClose(child, registered.cause());
                    gate.ended(); // never active: no Connector tells the gate
                }
            });
        } catch (RuntimeException e) {
            forceClose(child, e);
            gate.ended();
        }
    }

    /**
     * A frontend that reads the client's first bytes before it chooses a server (a PROXY header, a ClientHello) has
     * its listener set TCP_DEFER_ACCEPT, as HAProxy's {@code defer-accept} bind option: the kernel hands a connection
     * over once its first bytes are in, so the accept and the read of those bytes happen in one wake-up of the event
     * loop rather than two (measured on the SNI frontend: docs/benchmarks-history.md). A client that sends nothing
     * is handed over anyway when the kernel gives up waiting (the {@value #DEFER_ACCEPT_S} s below, one SYN-ACK
     * retransmission), and the preamble's own timeout decides as before. Frontends without a preamble keep
     * accepting at once: through them, protocols where the server speaks first (SMTP, SSH, databases) must not
     * wait. Set through Netty's generic socket option; a transport without it (NIO) ignores it. Changed when the
     * frontend's preamble changes, at the next connection.
     */
    private void deferAccept(Channel listener, boolean on) {
        deferring = on;
        try {
            listener.config().setOption(DEFER_ACCEPT, on ? DEFER_ACCEPT_S : 0);
        } catch (RuntimeException e) {
            log.debug("TCP_DEFER_ACCEPT not set frontend={} cause={}", frontend, e.toString());
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

    /**
     * Applies the frontend's allow/deny lists and rate limit to {@code client} before the connection is registered or
     * any server is chosen, on either way: null when admitted, else why not, logged to the access log. The caller
     * resets a refused connection (SO_LINGER 0, as HAProxy's {@code tcp-request connection reject}): no TIME_WAIT is
     * left here for a source that is turned away, however often it comes.
     */
    private Admission refusal(InetSocketAddress client) {
        FrontendGuard guard = context.router().guard(frontend);
        if (guard.isOpen()) {
            return null;
        }
        Admission admission = guard.admit(client.getAddress(), System.nanoTime());
        if (admission == Admission.ADMITTED) {
            return null;
        }
        AccessSink sink = context.router().accessLog(frontend);
        if (sink.enabled()) {
            sink.log(new AccessEntry(System.currentTimeMillis(), client, frontend, null, null, null, 0, 0, 0, 0, 0,
                    ending(admission)));
        }
        return admission;
    }

    /** Whether the frontend is at its {@code max_connections}, counted and logged; the caller closes the connection. */
    private boolean full() {
        if (gate.admit()) {
            return false;
        }
        context.router().frontendFull(frontend);
        log.debug("frontend full, closed frontend={}", frontend);
        return true;
    }

    static Ending ending(Admission admission) {
        return admission == Admission.RATE_LIMITED ? Ending.RATE_LIMITED : Ending.REFUSED_BY_ACL;
    }

    /** Resets a refused connection (SO_LINGER 0) and closes it. */
    static void reset(Channel child, InetSocketAddress client, Admission admission) {
        try {
            child.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // closed anyway; only the reset is lost
        }
        if (child.isRegistered()) {
            child.close();
        } else {
            child.unsafe().closeForcibly();
        }
        log.debug("connection refused client={} reason={}", client, admission);
    }

    private void forceClose(Channel child, Throwable cause) {
        child.unsafe().closeForcibly();
        log.debug("accepted connection not registered, closed frontend={} cause={}", frontend, cause.toString());
    }
}
