package io.convey.proxy;

import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessSink;
import io.convey.traffic.Ending;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied connection: the client channel, the server channel once connected, and their shared state.
 *
 * <p>Confined to the client channel's event loop: server channels are registered on that same loop and
 * close-future listeners run there too, so no field needs synchronization.
 */
final class Flow {
    private static final Logger log = LoggerFactory.getLogger(Flow.class);

    private final String frontend;
    private final SocketChannel client;
    private final FlowObserver frontendObserver;
    private final Runnable onDone;
    private ConnectionOrigin origin;
    private final AccessSink accessLog;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private Upstream upstream;
    private long connectNanos;
    /** Time spent in the pool's queue, 0 if the connection never waited. */
    private long queueNanos;
    /** How the flow ended, decided by the first event that ends it; later ones (the closes it causes) keep it. */
    private Ending ending;
    private SocketChannel server;
    private FlowObserver serverObserver = FlowObserver.NONE;
    private int openChannels;
    private final FlowBytes bytes = new FlowBytes();
    /** Why the connection was closed without a server, or null. */
    private Refusal refusal;

    Flow(String frontend, SocketChannel client, FlowObserver frontendObserver, Runnable onDone, AccessSink accessLog) {
        this.frontend = frontend;
        this.client = client;
        this.frontendObserver = frontendObserver;
        this.onDone = onDone;
        this.accessLog = accessLog;
        this.origin = ConnectionOrigin.of(client);
    }

    /** Where the connection comes from: the socket's view until a preamble (PROXY header, SNI) says more. */
    ConnectionOrigin origin() {
        return origin;
    }

    void origin(ConnectionOrigin origin) {
        this.origin = origin;
        log.debug("flow origin frontend={} client={} peer={} serverName={}", frontend, origin.client(), origin.peer(),
                origin.serverName());
    }

    /** The effective client address: a PROXY header's source on an accept_proxy frontend, else the peer. */
    InetSocketAddress clientAddress() {
        return origin.client();
    }

    /** Records how the flow ends, unless an earlier event already did. */
    void end(Ending how) {
        if (ending == null) {
            ending = how;
        }
    }

    void start() {
        frontendObserver.opened();
        track(client);
        log.debug("flow opened frontend={} client={}", frontend, client.remoteAddress());
    }

    /**
     * Counts a connect attempt's channel as open, so the flow is not done while it is still connecting; the same
     * close listener closes the server's observer if this attempt becomes the flow's server.
     */
    void trackAttempt(Channel attempt) {
        track(attempt);
    }

    void connected(SocketChannel server, Upstream upstream, long connectNanos) {
        this.server = server;
        this.upstream = upstream;
        this.connectNanos = connectNanos;
        this.serverObserver = upstream.observer();
        serverObserver.opened();
        log.debug("flow connected frontend={} client={} server={}", frontend, origin.client(), upstream.address());
    }

    /** The connection left its pool's queue after {@code nanos} (served or timed out). */
    void leftQueue(long nanos) {
        queueNanos += nanos;
        frontendObserver.queued(nanos);
    }

    /** The connection is closed without a server (by its frontend's preamble or its pool's admission), and why. */
    void refused(Refusal reason) {
        refusal = reason;
        end(reason.ending());
        frontendObserver.refused(reason);
        log.debug("flow refused frontend={} peer={} reason={}", frontend, client.remoteAddress(), reason);
    }

    /** The server's socket failed while relaying. */
    void serverReset() {
        serverObserver.serverReset();
    }

    /** Time this connection spent waiting in its pool's queue (zero if it never waited). */
    java.time.Duration queueTime() {
        return java.time.Duration.ofNanos(queueNanos);
    }

    /** Why this connection was closed without a server (preamble, no server, queue full, queue timeout), or null. */
    Refusal refusal() {
        return refusal;
    }

    Channel peer(boolean fromClient) {
        return fromClient ? server : client;
    }

    /** Writes bytes read on one side to the other side, unflushed, and returns that side for the flush. */
    Channel forward(boolean fromClient, ByteBuf read) {
        bytes.add(fromClient, read.readableBytes());
        Channel peer = peer(fromClient);
        peer.write(read, peer.voidPromise());
        return peer;
    }

    /**
     * Hands the bytes forwarded since the last call to the observers. Called when a read loop completes (and
     * when a channel closes), so counters follow the traffic within one read loop (at most 16 reads) while a
     * bulk transfer bumps the shared counters once per loop instead of once per read.
     */
    void report() {
        bytes.report(frontendObserver, serverObserver);
    }

    /**
     * Passes on an EOF read on one side, once everything queued for the peer is written (Netty's shutdownOutput
     * fails pending writes, so an empty write is queued first and awaited). If the peer's own input has ended,
     * this EOF ends the last open direction and the peer is closed: one close() instead of a shutdown(), a
     * close() and the exception Netty builds in every shutdownOutput. Otherwise the peer's output is shut down,
     * a true half-close, and the peer stops allowing half-closure, so that its own EOF later closes it directly
     * (no shutdown(SHUT_RD) on a socket that is by then fully closed, which fails with ENOTCONN). On epoll the
     * output is shut through the socket itself, see {@link EpollHalfClose#shutdownOutput}, as on io_uring
     * ({@link UringSockets#shutdownOutput}). A pool with {@code half_close = false} closes both channels instead,
     * the peer once what is queued for it is written.
     */
    void inputShutdown(boolean fromClient) {
        SocketChannel side = fromClient ? client : server;
        SocketChannel peer = fromClient ? server : client;
        end(fromClient ? Ending.CLIENT_CLOSED : Ending.SERVER_CLOSED);
        if (!upstream.halfClose()) {
            closeOnFlush(peer);
            side.close();
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                close();
            } else if (peer.isInputShutdown()) {
                peer.close();
            } else {
                peer.config().setAllowHalfClosure(false);
                shutdownOutput(peer);
            }
        });
        if (side.isOutputShutdown()) {
            side.close();
        }
    }

    /** The write half of a half-close: nothing is queued for {@code peer} any more and nothing will be. */
    private void shutdownOutput(SocketChannel peer) {
        try {
            if (EpollHalfClose.shutdownOutput(peer) || UringSockets.shutdownOutput(peer)) {
                return;
            }
        } catch (IOException | NotYetConnectedException e) {
            // ENOTCONN (Netty throws it unchecked): the peer reset the connection meanwhile; nothing to half-close.
            log.debug("shutdown output failed, closing channel={} cause={}", peer.remoteAddress(), e.toString());
            close();
            return;
        }
        peer.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                close();
            }
        });
    }

    /** Closes a channel after what is queued for it is written: its peer has gone. */
    void closeOnFlush(Channel channel) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    void close() {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    /** One close listener per channel: the client, and each connect attempt (the last one being the server). */
    private void track(Channel channel) {
        openChannels++;
        channel.closeFuture().addListener(closed -> {
            if (channel == client && server == null && ending == null) {
                closedBeforeAnyReason();
            } else {
                closed(channel);
            }
        });
    }

    /**
     * The client closed before a server and before any reason was recorded. Netty's {@code HAProxyMessageDecoder} and
     * {@code SslClientHelloHandler} close the connection themselves and only then throw the exception that says why,
     * so the refusal ({@link #refused}) reaches this flow just after its close, within the same event. Ending the
     * flow one loop turn later lets it name the refusal, and count it before the close. Only connections that never
     * had a server pass here, so relayed connections cost no extra task.
     */
    private void closedBeforeAnyReason() {
        try {
            client.eventLoop().execute(() -> closed(client));
        } catch (RejectedExecutionException e) {
            closed(client); // the loop is shutting down: end the flow now, as a client close
        }
    }

    private void closed(Channel channel) {
        report();
        if (channel == client) {
            frontendObserver.closed();
        } else if (channel == server) {
            serverObserver.closed();
        }
        if (--openChannels == 0) {
            done();
        }
    }

    private void done() {
        log.debug("flow closed frontend={} client={} server={} bytesFromClient={} bytesFromServer={}",
                frontend, origin.client(), server == null ? null : server.remoteAddress(),
                bytes.fromClient(), bytes.fromServer());
        if (accessLog.enabled()) {
            accessLog.log(accessEntry(startMillis, origin.client(), frontend, upstream, bytes,
                    System.nanoTime() - startNanos, connectNanos, queueNanos, ending));
        }
        onDone.run();
    }

    /** A flow's access-log entry; {@code upstream} null when it never had a server, {@code ending} null for a client close. */
    static AccessEntry accessEntry(long startMillis, InetSocketAddress client, String frontend, Upstream upstream,
            FlowBytes bytes, long durationNanos, long connectNanos, long queueNanos, Ending ending) {
        return new AccessEntry(startMillis, client, frontend,
                upstream == null ? null : upstream.pool(),
                upstream == null ? null : upstream.server() == null ? upstream.address().toString() : upstream.server(),
                upstream == null ? null : upstream.address(), bytes.fromClient(), bytes.fromServer(),
                durationNanos, connectNanos, queueNanos, ending == null ? Ending.CLIENT_CLOSED : ending);
    }
}
