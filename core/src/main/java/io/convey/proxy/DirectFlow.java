package io.convey.proxy;

import io.convey.traffic.AccessSink;
import io.convey.traffic.Ending;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied connection of a plain TCP frontend (no PROXY header to read, no ClientHello to peek) on the epoll
 * transport: both sockets registered with the event loop's epoll handler directly, through Netty's public
 * {@link EpollIoHandle}, with no Netty channel, pipeline, promise or outbound queue per socket. It does what
 * {@link Connector}, {@link Flow} and the two {@link Relay}s do for a connection on Netty channels: admission, the
 * pool's queue, connect with fail-over, the PROXY header sent to the server, the relay with backpressure and
 * half-close, the idle timeout, counters and the access log.
 *
 * <p>Why not Netty's channels here: a channel per socket costs the new-connection path about as much user time as
 * HAProxy spends per connection in all (docs/benchmarks-history.md, "Where the time goes on this machine"), and
 * Netty's socket makes system calls a proxy does not need (a {@code getsockname} in every socket's constructor, a
 * {@code getpeername} after connect, a {@code shutdown(SHUT_RD)} at every EOF, an {@code epoll_ctl(MOD)} to stop
 * reading). What a plain relay needs of the kernel is few and simple calls ({@link SocketCalls}), and the event loop
 * stays Netty's: its timers, task queue and wake-ups serve these flows and the channel-based ones alike.
 *
 * <p>Each socket is registered once, edge-triggered, for reading, writing and the peer's FIN (as NGINX registers its
 * connections), so the interest set never changes: no {@code epoll_ctl} after the {@code ADD}, and the close drops
 * the socket from epoll without an {@code epoll_ctl(DEL)}. Edge-triggered means a readable socket is read until the
 * kernel has nothing more (EAGAIN, EOF, or a short read when no FIN was reported), or it is remembered as readable:
 * when the flow stops reading it (the peer's socket buffer is full, or the read budget of one wake-up is spent) it
 * reads it again on its own once that reason is gone.
 *
 * <p>Bytes are read into one buffer per event loop and written to the peer at once; only what the peer's socket
 * does not take is copied aside, and the side that sent it stops reading until that is written (at most one read,
 * {@value #READ_BUFFER} bytes, is held per direction). A client's bytes wait in its socket until the server is
 * connected.
 *
 * <p>Confined to its event loop, but for {@link #pendingBytes()} and {@link #closeFromAnyThread()}.
 */
final class DirectFlow {
    private static final Logger log = LoggerFactory.getLogger(DirectFlow.class);
    /**
     * Bytes per read; one read of each direction may be held when the peer does not take it (Netty's channels here
     * held up to their 256 KB high-water mark). 256 KB rather than 64 KB: a quarter of the system calls on a bulk
     * transfer, measured 1.34 times the throughput at 0.63 of the CPU per GB (docs/benchmarks.md); short reads cost
     * the same either way.
     */
    static final int READ_BUFFER = 256 << 10;
    /** Reads of one socket per wake-up before the loop turns to others (as Netty's 16 messages per read loop). */
    private static final int READS_PER_WAKEUP = 16;
    private static final int IN = EpollIoOps.EPOLLIN.value();
    private static final int OUT = EpollIoOps.EPOLLOUT.value();
    private static final int RDHUP = EpollIoOps.EPOLLRDHUP.value();
    /** EPOLLERR and EPOLLHUP: the kernel reports them whether asked or not. */
    private static final int ERR = 0x008;
    private static final int HUP = 0x010;
    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT)
            .with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);

    /** Per event loop: the buffer every flow of the loop reads into. */
    private static final FastThreadLocal<ByteBuffer> READS = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocateDirect(READ_BUFFER);
        }
    };

    /**
     * Per event loop: Netty's PROXY header encoder in a channel of its own, which only encodes. The encoder is a
     * pipeline handler with no public encode method; this flow has no pipeline of its own to put it in.
     */
    private static final FastThreadLocal<EmbeddedChannel> HEADER_ENCODER = new FastThreadLocal<>() {
        @Override
        protected EmbeddedChannel initialValue() {
            return new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        }
    };

    private final String frontend;
    private final ProxyContext context;
    private final IoEventLoop loop;
    private final FlowObserver frontendObserver;
    private final AccessSink accessLog;
    /** The frontend's gate, told when this flow is done. */
    private final Runnable ended;
    /** The listener's address when it is bound to one address, else null (then read from the socket if needed). */
    private final InetSocketAddress knownLocal;
    private final ConnectionOrigin origin;
    private final Side client;
    /** The server's socket: the attempt under way, then the connected one; null before the first attempt. */
    private Side server;
    private Upstream upstream;
    private FlowObserver serverObserver = FlowObserver.NONE;

    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private long connectStarted;
    private long connectNanos;
    private long queueNanos;
    private Ending ending;
    private final FlowBytes bytes = new FlowBytes();
    /** Bytes copied aside for a peer that did not take them; read by {@link #pendingBytes()} from other threads. */
    private volatile int heldBytes;

    /** Immutable, replaced per attempt (at most {@link Connector#MAX_ATTEMPTS}): the router gets it without a copy. */
    private Set<InetSocketAddress> tried = Set.of();
    /** The server whose connect just failed, until the next attempt counts as its retry. */
    private Upstream failed;
    private Admission.Ticket waiting;
    private long queuedAt;
    private Future<?> queueTimer;
    private Future<?> connectTimer;
    private Future<?> idleTimer;
    private long idleNanos;
    private long lastIo;
    private boolean done;

    private DirectFlow(String frontend, ProxyContext context, IoEventLoop loop, int fd, InetSocketAddress peer,
            InetSocketAddress knownLocal, Runnable ended) {
        this.frontend = frontend;
        this.context = context;
        this.loop = loop;
        this.ended = ended;
        this.knownLocal = knownLocal;
        this.frontendObserver = context.router().frontendObserver(frontend);
        this.accessLog = context.router().accessLog(frontend);
        this.origin = new ConnectionOrigin(peer, null, peer, null);
        this.client = new Side(fd, null);
    }

    /**
     * Takes a connection the frontend's listener accepted and admitted, on {@code loop}; on any thread. Closes the
     * socket if the loop no longer takes tasks.
     */
    static void start(String frontend, ProxyContext context, IoEventLoop loop, int fd, InetSocketAddress peer,
            InetSocketAddress knownLocal, Runnable ended) {
        if (loop.inEventLoop()) {
            new DirectFlow(frontend, context, loop, fd, peer, knownLocal, ended).open();
            return;
        }
        try {
            loop.execute(() -> new DirectFlow(frontend, context, loop, fd, peer, knownLocal, ended).open());
        } catch (RejectedExecutionException e) {
            SocketCalls.close(fd);
            ended.run();
        }
    }

    private void open() {
        context.active().increment();
        context.directFlows().add(this);
        frontendObserver.opened();
        if (!register(client)) {
            end(Ending.CLIENT_CLOSED);
            closeSides();
            return;
        }
        log.debug("flow opened frontend={} client={}", frontend, origin.client());
        connectNext();
    }

    /** Registers a socket with the loop's epoll, with its whole interest set in one epoll_ctl(ADD). */
    private boolean register(Side side) {
        Future<IoRegistration> registered = loop.register(side); // inline: this is the loop's thread
        if (!registered.isSuccess()) {
            log.debug("socket not registered frontend={} cause={}", frontend, String.valueOf(registered.cause()));
            return false;
        }
        side.registration = registered.getNow();
        try {
            side.registration.submit(INTEREST);
            return true;
        } catch (RuntimeException e) {
            log.debug("socket not added to epoll frontend={} cause={}", frontend, e.toString());
            side.registration.cancel();
            side.registration = null;
            return false;
        }
    }

    // ---- admission and connect, as the Connector does on channels ----

    private void connectNext() {
        switch (Connector.admit(context, frontend, origin, tried, this::slotFreed)) {
            case Admission.Serve serve -> connect(serve.upstream());
            case Admission.Wait wait -> {
                waiting = wait.ticket();
                queuedAt = System.nanoTime();
                queueTimer = loop.schedule(this::queueTimedOut, wait.timeout().toNanos(), TimeUnit.NANOSECONDS);
                log.debug("queued frontend={} client={} timeout={}", frontend, origin.client(), wait.timeout());
            }
            case Admission.Refuse refuse -> {
                log.debug("no server, closing frontend={} client={} reason={} tried={}", frontend, origin.client(),
                        refuse.reason(), tried);
                if (!tried.isEmpty()) {
                    end(Ending.CONNECT_FAILED); // servers were tried and failed; none is left
                }
                refused(refuse.reason());
                close();
            }
        }
    }

    /** A slot freed for this queued flow; on any thread. */
    private void slotFreed(Upstream granted) {
        try {
            loop.execute(() -> granted(granted));
        } catch (RejectedExecutionException e) {
            granted.observer().attemptEnded(); // the loop is shutting down: give the slot back
        }
    }

    private void granted(Upstream granted) {
        waiting = null;
        cancel(queueTimer);
        leftQueue();
        if (done || client.closed) {
            granted.observer().attemptEnded();
            return;
        }
        connect(granted);
    }

    private void queueTimedOut() {
        if (waiting != null && waiting.cancel(true)) {
            waiting = null;
            leftQueue();
            log.debug("queue timeout, closing frontend={} client={}", frontend, origin.client());
            refused(Refusal.QUEUE_TIMEOUT);
            close();
        }
    }

    private void leftQueue() {
        long nanos = System.nanoTime() - queuedAt;
        queueNanos += nanos;
        frontendObserver.queued(nanos);
    }

    private void connect(Upstream next) {
        if (failed != null) {
            failed.observer().retried();
            failed = null;
        }
        tried = Connector.with(tried, next.address());
        int fd;
        try {
            fd = SocketCalls.open(next.address(), SocketCalls.SOCK_STREAM);
        } catch (ChannelException e) {
            // The socket could not even be created (EMFILE): fail over like a refused connect.
            next.observer().attemptEnded();
            connectFailed(next, e, false);
            return;
        }
        Side attempt = new Side(fd, next);
        server = attempt;
        SocketCalls.noDelay(fd);
        if (next.proxyHeader() != ProxyHeader.NONE) {
            SocketCalls.delayHandshakeAck(fd); // the header leaves as soon as the connect completes
        } else if (HandshakeAcks.onThisLoop().hold(next)) {
            SocketCalls.delayHandshakeAck(fd); // the client's first bytes will carry it
            attempt.ackHeld = true;
        }
        connectStarted = System.nanoTime();
        int r = SocketCalls.connect(fd, next.address());
        if (r != 0 && r != -SocketCalls.EINPROGRESS) {
            closeSide(attempt);
            connectFailed(next, new IOException("connect " + next.address() + ": errno " + -r), false);
            return;
        }
        if (!register(attempt)) {
            closeSide(attempt);
            connectFailed(next, new IOException("connect " + next.address() + ": not registered"), false);
            return;
        }
        attempt.connecting = true;
        connectTimer = loop.schedule(() -> connectTimedOut(attempt), next.connectTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void connectTimedOut(Side attempt) {
        if (attempt == server && attempt.connecting) {
            closeSide(attempt);
            connectFailed(attempt.upstream, new IOException("connect " + attempt.upstream.address() + ": timed out"),
                    true);
        }
    }

    private void connectFailed(Upstream next, Throwable cause, boolean timedOut) {
        server = null;
        log.debug("connect failed frontend={} client={} server={} attempt={} cause={}", frontend, origin.client(),
                next.address(), tried.size(), cause.toString());
        next.observer().connectFailed(timedOut);
        if (done || client.closed) {
            return;
        }
        if (tried.size() < Connector.MAX_ATTEMPTS) {
            failed = next;
            connectNext();
        } else {
            log.debug("giving up frontend={} client={} tried={}", frontend, origin.client(), tried);
            end(Ending.CONNECT_FAILED);
            close();
        }
    }

    private void connected(Side side) {
        side.connecting = false;
        side.opened = true;
        cancel(connectTimer);
        long took = System.nanoTime() - connectStarted;
        upstream = side.upstream;
        connectNanos = took;
        upstream.observer().connectDone(took);
        serverObserver = upstream.observer();
        serverObserver.opened();
        log.debug("flow connected frontend={} client={} server={}", frontend, origin.client(), upstream.address());
        if (upstream.proxyHeader() != ProxyHeader.NONE) {
            sendHeader(side);
        }
        if (upstream.idleTimeout().isPositive()) {
            idleNanos = upstream.idleTimeout().toNanos();
            lastIo = System.nanoTime();
            idleTimer = loop.schedule(this::idleCheck, idleNanos, TimeUnit.NANOSECONDS);
        }
        // What the client sent meanwhile waits in its socket; edge-triggered, it is not reported again.
        if (client.readable) {
            read(client, client.finReported);
        }
        if (side.ackHeld) {
            HandshakeAcks acks = HandshakeAcks.onThisLoop();
            if (clientSpoke(side)) {
                acks.clientSpokeFirst(upstream);
            } else if (!side.closed) {
                acks.await(side, loop);
            }
        }
    }

    /** The client's bytes (or its FIN) went to this server socket: they carried the handshake's ACK if it was held. */
    private boolean clientSpoke(Side server) {
        return bytes.fromClient() > 0 || server.outputShut;
    }

    /** Writes the pool's PROXY header; it leaves with the client's first bytes or on its own, never after them. */
    private void sendHeader(Side side) {
        EmbeddedChannel encoder = HEADER_ENCODER.get();
        encoder.writeOutbound(upstream.proxyHeader().message(origin, this::localAddress));
        ByteBuf header = encoder.readOutbound();
        try {
            int length = header.readableBytes();
            long n = SocketCalls.send(side.fd, header.nioBuffer());
            if (n < 0 && n != -SocketCalls.EAGAIN) {
                failed(side, n);
            } else if (n < length) {
                int sent = (int) Math.max(n, 0);
                hold(side, header, sent, length - sent);
            }
        } finally {
            header.release();
        }
    }

    private InetSocketAddress localAddress() {
        return knownLocal != null ? knownLocal : SocketCalls.localAddress(client.fd);
    }

    // ---- the relay ----

    private void event(Side side, int ops) {
        if (side.closed) {
            return;
        }
        if (side.connecting) {
            if ((ops & (ERR | HUP)) != 0) {
                int error = SocketCalls.pendingError(side.fd);
                if (error == 0) {
                    return; // a failed connect leaves its error; this event was a closed socket's, of the same number
                }
                closeSide(side);
                connectFailed(side.upstream, new IOException("connect " + side.upstream.address() + ": errno " + error),
                        false);
                return;
            }
            if ((ops & OUT) == 0) {
                return;
            }
            connected(side);
            if (side.closed) {
                return;
            }
        } else if (side == client && (server == null || server.connecting)) {
            // No server yet: the client's bytes (and its FIN) wait in its socket. A reset ends the flow at once (the
            // kernel's pending error tells a reset from an event meant for a closed socket of the same number).
            if ((ops & ERR) != 0 && SocketCalls.pendingError(side.fd) != 0) {
                end(Ending.CLIENT_CLOSED);
                close();
            } else if ((ops & (IN | RDHUP | HUP)) != 0) {
                side.readable = true;
                side.finReported |= (ops & (RDHUP | HUP)) != 0;
            }
            return;
        }
        if ((ops & OUT) != 0 && side.held != null) {
            flushHeld(side);
            if (side.closed) {
                return;
            }
        }
        if ((ops & (IN | RDHUP | ERR | HUP)) != 0) {
            // A short read ends the wake-up's reading unless a FIN came too: edge-triggered, it is reported once.
            read(side, (ops & (RDHUP | ERR | HUP)) != 0);
        }
    }

    /**
     * Reads {@code side} and writes what it reads to its peer, until the kernel has no more for now, the peer does
     * not take all of it, or the wake-up's budget is spent (then the rest is read in a task of its own).
     */
    private void read(Side side, boolean untilEmpty) {
        side.readable = false;
        Side peer = side == client ? server : client;
        if (side.closed || side.eof || peer == null || peer.closed) {
            return;
        }
        if (peer.held != null) {
            side.readable = true; // read again once the peer has taken what it holds
            return;
        }
        ByteBuffer buffer = READS.get();
        boolean fromClient = side == client;
        long total = 0;
        long last = 1; // the last recv's result when it ended the reading: 0 for EOF, minus errno
        for (int i = 0; ; i++) {
            if (i == READS_PER_WAKEUP) {
                side.readable = true;
                loop.execute(() -> {
                    if (side.readable) {
                        read(side, true);
                    }
                });
                break;
            }
            buffer.clear();
            long n = SocketCalls.recv(side.fd, buffer);
            if (n <= 0) {
                last = n;
                break;
            }
            total += n;
            buffer.limit((int) n);
            long w = SocketCalls.send(peer.fd, buffer);
            if (w == n) {
                if (n < READ_BUFFER && !untilEmpty) {
                    break;
                }
                continue;
            }
            if (w < 0 && w != -SocketCalls.EAGAIN) {
                count(fromClient, total);
                failed(peer, w);
                return;
            }
            buffer.position((int) Math.max(w, 0));
            hold(peer, buffer);
            side.readable = true;
            break;
        }
        count(fromClient, total);
        if (last == 0) {
            side.eof = true;
            end(fromClient ? Ending.CLIENT_CLOSED : Ending.SERVER_CLOSED);
            directionEnded(side, peer);
        } else if (last < 0 && last != -SocketCalls.EAGAIN) {
            failed(side, last);
        }
    }

    /** Counts bytes forwarded and hands them to the observers (once per wake-up, as the relay on channels). */
    private void count(boolean fromClient, long n) {
        if (n > 0) {
            bytes.add(fromClient, n);
            if (idleNanos > 0) {
                lastIo = System.nanoTime();
            }
        }
        bytes.report(frontendObserver, serverObserver);
    }

    /** Keeps what {@code peer}'s socket did not take; the other side reads again once it is written. */
    private void hold(Side peer, ByteBuffer rest) {
        ByteBuf copy = PooledByteBufAllocator.DEFAULT.directBuffer(rest.remaining());
        copy.writeBytes(rest);
        peer.held = copy;
        heldBytes += copy.readableBytes();
    }

    private void hold(Side peer, ByteBuf bytes, int from, int length) {
        peer.held = PooledByteBufAllocator.DEFAULT.directBuffer(length).writeBytes(bytes, bytes.readerIndex() + from,
                length);
        heldBytes += length;
    }

    /** The peer's socket takes bytes again: writes what it holds, then lets the other side read on. */
    private void flushHeld(Side side) {
        ByteBuf bytes = side.held;
        long w = SocketCalls.send(side.fd, bytes.nioBuffer());
        if (w < 0 && w != -SocketCalls.EAGAIN) {
            failed(side, w);
            return;
        }
        if (w > 0) {
            bytes.skipBytes((int) w);
            heldBytes -= (int) w;
            if (idleNanos > 0) {
                lastIo = System.nanoTime();
            }
        }
        if (bytes.isReadable()) {
            return;
        }
        bytes.release();
        side.held = null;
        if (side.closeWhenFlushed) {
            closeSides();
            return;
        }
        Side other = side == client ? server : client;
        if (other != null && other.eof) {
            directionEnded(other, side);
        } else if (other != null && other.readable) {
            read(other, true);
        }
    }

    /**
     * {@code side}'s input ended: once what it sent is written, the FIN is passed on ({@code shutdown(SHUT_WR)} on
     * the peer, a true half-close), or, when the peer's input had ended too or the pool does not relay half-closes
     * ({@code half_close = false}), both sockets are closed.
     */
    private void directionEnded(Side side, Side peer) {
        if (peer.held != null) {
            return; // flushHeld comes back here
        }
        if (!upstream.halfClose() || peer.eof && side.held == null) {
            closeSides();
            return;
        }
        if (!peer.outputShut) {
            peer.outputShut = true;
            int r = SocketCalls.shutdownOutput(peer.fd);
            if (r < 0) {
                // ENOTCONN: the peer reset the connection meanwhile; nothing to half-close.
                log.debug("shutdown output failed, closing frontend={} client={} errno={}", frontend, origin.client(),
                        -r);
                close();
            }
        }
    }

    /**
     * A socket failed (a reset, mostly): it is closed, and its peer closed once what it holds is written. On the
     * server's socket this is live traffic failing, for passive health.
     */
    private void failed(Side side, long errno) {
        log.debug("flow error, closing frontend={} client={} side={} errno={}", frontend, origin.client(),
                side == client ? "client" : "server", -errno);
        if (side != client) {
            serverObserver.serverReset();
        }
        end(side == client ? Ending.CLIENT_CLOSED : Ending.SERVER_CLOSED);
        closeSide(side);
        Side peer = side == client ? server : client;
        if (peer != null && !peer.closed) {
            if (peer.held != null) {
                peer.closeWhenFlushed = true;
            } else {
                closeSide(peer);
            }
        }
        finishIfClosed();
    }

    private void idleCheck() {
        if (done) {
            return;
        }
        long idle = System.nanoTime() - lastIo;
        if (idle >= idleNanos) {
            log.debug("flow idle, closing frontend={} client={}", frontend, origin.client());
            end(Ending.IDLE_TIMEOUT);
            close();
        } else {
            idleTimer = loop.schedule(this::idleCheck, idleNanos - idle, TimeUnit.NANOSECONDS);
        }
    }

    // ---- the end ----

    private void end(Ending how) {
        if (ending == null) {
            ending = how;
        }
    }

    private void refused(Refusal reason) {
        end(reason.ending());
        frontendObserver.refused(reason);
    }

    /** Closes both sockets now, dropping what is held. */
    void close() {
        if (waiting != null) {
            cancel(queueTimer);
            if (waiting.cancel(false)) {
                waiting = null;
                leftQueue();
            }
        }
        closeSides();
    }

    /** Closes the flow from another thread (the proxy shutting down); a closed loop has closed its sockets. */
    void closeFromAnyThread() {
        try {
            loop.execute(this::close);
        } catch (RejectedExecutionException e) {
            // the loop is gone; its epoll handler closed every registered socket
        }
    }

    private void closeSides() {
        closeSide(client);
        if (server != null) {
            closeSide(server);
        }
        finishIfClosed();
    }

    private void closeSide(Side side) {
        if (side.closed) {
            return;
        }
        side.closeSocket();
        bytes.report(frontendObserver, serverObserver); // before an observer is told the side closed
        if (side.held != null) {
            heldBytes -= side.held.readableBytes();
            side.held.release();
            side.held = null;
        }
        if (side == client) {
            frontendObserver.closed();
        } else {
            if (side.connecting) {
                side.connecting = false;
                cancel(connectTimer);
            } else if (side.opened) {
                serverObserver.closed();
            }
            side.upstream.observer().attemptEnded();
        }
    }

    private void finishIfClosed() {
        if (client.closed && (server == null || server.closed)) {
            finish();
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        cancel(idleTimer);
        log.debug("flow closed frontend={} client={} server={} bytesFromClient={} bytesFromServer={}", frontend,
                origin.client(), upstream == null ? null : upstream.address(), bytes.fromClient(), bytes.fromServer());
        if (accessLog.enabled()) {
            accessLog.log(Flow.accessEntry(startMillis, origin.client(), frontend, upstream, bytes,
                    System.nanoTime() - startNanos, connectNanos, queueNanos, ending));
        }
        context.directFlows().remove(this);
        context.active().decrement();
        ended.run();
    }

    /** Bytes held for peers that did not take them yet; on any thread. */
    int pendingBytes() {
        return heldBytes;
    }

    private static void cancel(Future<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** One socket of the flow, as the event loop's epoll handler sees it. */
    final class Side implements EpollIoHandle {
        final int fd;
        private final FileDescriptor descriptor;
        /** The server this attempt connects to; null on the client's side. */
        final Upstream upstream;
        IoRegistration registration;
        /** Bytes for this socket that it did not take yet. */
        ByteBuf held;
        /** This socket may have bytes or a FIN unread (edge-triggered: it will not be reported again). */
        boolean readable;
        /** Epoll reported this socket's FIN (or a hang-up) before it could be read: read until EOF. */
        boolean finReported;
        /** This socket's input ended (its FIN was read). */
        boolean eof;
        /** The FIN was passed on to this socket. */
        boolean outputShut;
        /** Close both sockets once {@link #held} is written: the other side failed. */
        boolean closeWhenFlushed;
        boolean connecting;
        /** The connect held the handshake's ACK back for the client's first bytes ({@link HandshakeAcks}). */
        boolean ackHeld;
        /** The server's socket connected: its observer saw it opened. */
        boolean opened;
        boolean closed;

        Side(int fd, Upstream upstream) {
            this.fd = fd;
            this.descriptor = new FileDescriptor(fd);
            this.upstream = upstream;
        }

        @Override
        public FileDescriptor fd() {
            return descriptor;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            try {
                event(this, ((EpollIoEvent) event).ops().value());
            } catch (RuntimeException e) {
                // A fault of this flow (or of an observer) ends this flow, not the event loop's other flows.
                log.warn("flow failed, closing frontend={} client={}", frontend, origin.client(), e);
                DirectFlow.this.close();
            }
        }

        /** The loop is closing (or the registration was cancelled from outside): the flow ends. */
        @Override
        public void close() {
            if (!closed) {
                DirectFlow.this.close();
            }
            release();
        }

        /**
         * Closes the socket for this flow at once, and its descriptor once the loop has handled the events it is
         * handling now. Netty routes an event by descriptor number: a number closed and reused by a new socket within
         * one batch of epoll events would get the closed socket's pending events (a hang-up, say) delivered to the new
         * socket. Kept open until the batch is done, the number is not reused, and those events reach this side,
         * which ignores them.
         */
        void closeSocket() {
            closed = true;
            if (registration == null) {
                release(); // never in epoll: no event can name it
                return;
            }
            try {
                loop.execute(this::release);
            } catch (RejectedExecutionException e) {
                release(); // the loop is shutting down
            }
        }

        /**
         * The time the handshake's ACK may wait for the client's bytes is up: when the client sent none, the ACK
         * leaves on its own (a server that speaks first learns of the connection now).
         */
        void ackWaitEnded(HandshakeAcks acks) {
            if (closed) {
                return;
            }
            if (clientSpoke(this)) {
                acks.clientSpokeFirst(upstream);
            } else {
                SocketCalls.sendHeldAck(fd);
                acks.clientSilent(upstream);
            }
        }

        /** Closes the descriptor, then leaves epoll without an epoll_ctl: the kernel removed the closed socket. */
        private void release() {
            if (!descriptor.isOpen()) {
                return;
            }
            try {
                descriptor.close();
            } catch (IOException e) {
                // the descriptor is released all the same
            }
            if (registration != null) {
                registration.cancel();
            }
        }
    }
}
