package io.convey.proxy;

import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An epoll socket of a proxied connection (client or server side) that makes the system calls a proxy needs and
 * no more: Netty's {@code EpollSocketChannel} on the same event loop and with the same read and write paths,
 * without the per-connection calls its construction and close make.
 *
 * <p>Measured with {@code strace} on Netty 4.2.18 (docs/benchmarks.md), {@code EpollSocketChannel} makes per
 * socket: {@code getsockname} for its local address on accept and again after connect, {@code setsockopt
 * TCP_NODELAY} on an accepted socket (inherited from the listener here, see {@link EpollProxyListener}),
 * {@code getsockopt SO_SNDBUF} to size its gathering writes, {@code getsockopt SO_LINGER} before every close,
 * and {@code epoll_ctl(DEL)} right before the {@code close}, which removes the socket from epoll anyway. This
 * channel reads its local address only when asked, leaves gathering writes unbounded (Netty's default for other
 * channels; the relay's water marks bound what is queued), closes without a linger check (nothing here sets
 * SO_LINGER: a positive linger would block the event loop in close), and closes the socket before leaving
 * Netty's registration, so that the kernel drops it from epoll (as NGINX does: "the socket will be closed").
 * At a peer's EOF on a socket that stays half-open it clears both read interests with one {@code epoll_ctl} where
 * Netty makes two ({@link #stopReadingAtEof}).
 *
 * <p>All of it is the protected API of Netty's {@link AbstractEpollStreamChannel}, but for the interest set at EOF,
 * a private field of Netty's read through a {@link VarHandle} (without it, EOF takes Netty's two calls); the event
 * loop confines every method here except the address getters.
 */
final class EpollProxyChannel extends AbstractEpollStreamChannel implements SocketChannel {
    private static final Logger log = LoggerFactory.getLogger(EpollProxyChannel.class);
    /** The ends of reading a socket: the read interest and the peer's-FIN interest Netty keeps beside it. */
    private static final EpollIoOps READING = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLRDHUP);
    /** Netty's interest set, a private field of its package-private base class; null if a later Netty renames it. */
    private static final VarHandle OPS = interestSet();
    private final EpollProxyChannelConfig config;
    private final ServerSocketChannel parent;
    private volatile InetSocketAddress remote;
    /** The local address when known without asking the socket (the listener's, bound to one address), else null. */
    private final InetSocketAddress knownLocal;
    /** True while {@link #doClose} runs: the registration is left after the descriptor is closed. */
    private boolean closing;

    /**
     * An accepted connection; its TCP_NODELAY is the listener's. {@code local} is the listener's address when it is
     * bound to one address (then the accepted socket's too), or null for a wildcard listener.
     */
    EpollProxyChannel(ServerSocketChannel parent, LinuxSocket socket, InetSocketAddress remote,
            InetSocketAddress local) {
        // Not "active" for the constructor, which would read both addresses; it is connected all the same.
        super(socket, false);
        this.parent = parent;
        this.remote = remote;
        this.knownLocal = local;
        this.config = new EpollProxyChannelConfig(this);
        this.active = true;
    }

    /**
     * A socket to connect, in the family of the server's address.
     *
     * @throws io.netty.channel.ChannelException when the socket cannot be created (EMFILE, ENFILE)
     */
    EpollProxyChannel(SocketProtocolFamily family) {
        super(LinuxSocket.newSocketStream(family), false);
        this.parent = null;
        this.knownLocal = null;
        this.config = new EpollProxyChannelConfig(this);
        config.setTcpNoDelay(true);
    }

    @Override
    public EpollProxyChannelConfig config() {
        return config;
    }

    @Override
    public ServerSocketChannel parent() {
        return parent;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    /**
     * The listener's address, or read when first asked (and then kept by Netty's {@code AbstractChannel}): no proxied
     * byte needs it.
     */
    @Override
    protected SocketAddress localAddress0() {
        if (knownLocal != null) {
            return knownLocal;
        }
        return isOpen() ? socket.localAddress() : null;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    /**
     * Netty's connect without its {@code getsockname} afterwards; the remote address is the one asked for.
     * Completion, the connect timeout and failure handling stay Netty's.
     */
    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        if (localAddress != null) {
            socket.bind(localAddress);
        }
        boolean success = false;
        try {
            InetSocketAddress address = (InetSocketAddress) remoteAddress;
            boolean connected = socket.connect(address) || connectedAlready(address);
            if (!connected) {
                setFlag(Native.EPOLLOUT);
            }
            remote = address;
            success = true;
            return connected;
        } finally {
            if (!success) {
                doClose();
            }
        }
    }

    /**
     * Whether a non-blocking connect that answered EINPROGRESS is established all the same. Over loopback the
     * kernel runs the whole handshake inside connect(2) (the server's SYN-ACK and the final ACK are processed
     * before it returns) unless the server's accept queue is full, yet it answers EINPROGRESS. One getpeername(2),
     * which fails with ENOTCONN until the socket is established, then saves the wait for EPOLLOUT: its wake-up,
     * Netty's SO_ERROR read, getpeername and the two epoll_ctl(MOD) around it, and the connect timeout's timer.
     * Not tried for other addresses, where the handshake takes a round trip and the call would only cost.
     */
    private boolean connectedAlready(InetSocketAddress address) {
        return address.getAddress().isLoopbackAddress() && socket.remoteAddress() != null;
    }

    @Override
    protected void doClose() throws Exception {
        closing = true;
        try {
            super.doClose();
        } finally {
            closing = false;
            // The descriptor is closed now, so Netty's registration is left without an epoll_ctl(DEL), and on this
            // thread, before another socket can be given the same descriptor number.
            super.doDeregister();
        }
    }

    @Override
    protected void doDeregister() throws Exception {
        if (!closing) {
            super.doDeregister();
        }
    }

    /** Adds {@code flag} to the interest set: before registration no system call, after it one epoll_ctl. */
    void addInterest(int flag) throws IOException {
        setFlag(flag);
    }

    /**
     * Stops reading a socket whose EOF was just read, with one epoll_ctl(MOD) instead of Netty's two: right after this
     * read loop Netty clears EPOLLIN (in its input shutdown) and then EPOLLRDHUP (after the read), one epoll_ctl each;
     * both find their flag cleared here and make no call. EPOLLERR stays (see {@link EpollHalfClose}). AUTO_READ goes
     * off too, as the relay turns it off at the input shutdown anyway: otherwise the pipeline's head would ask for the
     * next read at the end of this read-complete and set EPOLLIN again. Called from the relay's read-complete, before
     * that input shutdown, on the event loop; does nothing before registration or if Netty's field is not reachable
     * (then Netty's two calls are made as before).
     */
    void stopReadingAtEof() throws IOException {
        if (OPS == null || !isRegistered()) {
            return;
        }
        EpollIoOps ops = (EpollIoOps) OPS.get(this);
        EpollIoOps next = ops.without(READING);
        if (!next.equals(ops)) {
            OPS.set(this, next);
            registration().submit(next);
        }
        config.setAutoRead(false); // clears EPOLLIN through Netty, which finds it cleared: no call
    }

    /** The interest set as Netty holds it, or null when its field is not reachable; on the event loop. */
    EpollIoOps interest() {
        return OPS == null ? null : (EpollIoOps) OPS.get(this);
    }

    private static VarHandle interestSet() {
        try {
            Class<?> base = AbstractEpollStreamChannel.class.getSuperclass();
            return MethodHandles.privateLookupIn(base, MethodHandles.lookup()).findVarHandle(base, "ops", EpollIoOps.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("epoll interest set not reachable, EOF clears it with two calls cause={}", e.toString());
            return null;
        }
    }

    /** {@code shutdown(SHUT_WR)} on the socket itself; see {@link EpollHalfClose#shutdownOutput}. */
    void shutdownSocketOutput() throws IOException {
        socket.shutdown(false, true);
    }
}
