package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.Errors;
import io.netty.util.HashedWheelTimer;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy data plane: one Netty server channel per TCP frontend, and one or more datagram channels per UDP
 * frontend, all sharing one group of event loops.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    /** Connections a listener accepts per wake-up, at most (HAProxy's {@code tune.maxaccept} is 64). */
    static final int ACCEPTS_PER_WAKEUP = 16;

    static {
        // Netty samples one buffer in 128 with a stack trace by default: about 1% of the keep-alive CPU. The
        // proxy releases every buffer on one path; the tests run with the property set to paranoid.
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private final ProxyContext context;
    private final EventLoopGroup group;
    private final Map<String, Channel> listeners = new ConcurrentHashMap<>();
    /** A UDP frontend's sockets: one per event loop on one port where the transport reuses ports. */
    private final Map<String, List<Channel>> udpListeners = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Starts the event loops; {@code ioThreads} 0 means one per core. */
    public ProxyServer(Router router, int ioThreads) {
        this(router, ioThreads, Transport.best());
    }

    /**
     * Starts the event loops on {@code transport}.
     *
     * @throws IllegalStateException when that transport cannot run here (see {@link Transport#unavailability()})
     */
    public ProxyServer(Router router, int ioThreads, Transport transport) {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(transport, "transport");
        transport.unavailability().ifPresent(cause -> {
            throw new IllegalStateException("transport: " + transport.label() + " unavailable (" + cause + ")", cause);
        });
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 0)");
        }
        int threads = ioThreads == 0 ? Runtime.getRuntime().availableProcessors() : ioThreads;
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("convey-proxy"),
                transport.ioHandlerFactory());
        // 50 ms ticks: the timeouts are whole seconds by default; a tick costs the wheel thread one wake-up.
        this.context = new ProxyContext(router, transport,
                new DefaultChannelGroup("convey-proxy", GlobalEventExecutor.INSTANCE), ConcurrentHashMap.newKeySet(),
                new LongAdder(),
                new HashedWheelTimer(new DefaultThreadFactory("convey-preamble-timer", true), 50, TimeUnit.MILLISECONDS));
    }

    /** Binds a frontend's listener; completes with the bound address, or fails with a {@link BindException}. */
    public CompletableFuture<InetSocketAddress> bind(String frontend, InetSocketAddress listen) {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(listen, "listen");
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("proxy: closed (expected: open)"));
        }
        if (listeners.containsKey(frontend)) {
            return CompletableFuture.failedFuture(alreadyBound(frontend));
        }
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        // Set up as ServerBootstrap would (create, register, then bind on the listener's loop), with the Acceptor
        // in place of its per-connection initializer.
        ServerChannel listener;
        try {
            listener = context.transport().newServerChannel(listen);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(asBindException(listen, e));
        }
        listener.config().setOption(ChannelOption.SO_REUSEADDR, true);
        listener.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, acceptBatches());
        listener.pipeline().addLast(new AcceptErrors(frontend), new Acceptor(frontend, listener, context, group));
        group.register(listener).addListener(registered -> {
            if (!registered.isSuccess()) {
                listener.unsafe().closeForcibly();
                result.completeExceptionally(asBindException(listen, registered.cause()));
                return;
            }
            listener.bind(listen).addListener(done -> {
                if (!done.isSuccess()) {
                    listener.close();
                    result.completeExceptionally(asBindException(listen, done.cause()));
                } else if (listeners.putIfAbsent(frontend, listener) != null) {
                    listener.close();
                    result.completeExceptionally(alreadyBound(frontend));
                } else {
                    InetSocketAddress local = (InetSocketAddress) listener.localAddress();
                    log.info("frontend bound frontend={} listen={} transport={}", frontend, local, transport());
                    result.complete(local);
                }
            });
        });
        return result;
    }

    /**
     * Binds a UDP frontend; its sessions are routed by {@code router}. Completes with the bound address, or fails
     * with a {@link BindException}.
     */
    public CompletableFuture<InetSocketAddress> bindUdp(String frontend, InetSocketAddress listen, DatagramRouter router) {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(router, "router");
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("proxy: closed (expected: open)"));
        }
        if (listeners.containsKey(frontend) || udpListeners.containsKey(frontend)) {
            return CompletableFuture.failedFuture(alreadyBound(frontend));
        }
        Transport transport = context.transport();
        int sockets = transport.reusesPorts() ? ((MultiThreadIoEventLoopGroup) group).executorCount() : 1;
        AtomicInteger sessions = new AtomicInteger();
        List<Channel> bound = new CopyOnWriteArrayList<>();
        CompletableFuture<InetSocketAddress> first = bindUdpSocket(frontend, listen, router, sessions, bound);
        CompletableFuture<InetSocketAddress> all = first;
        for (int i = 1; i < sockets; i++) {
            // The others join the first one's port (a configured port 0 resolved).
            all = all.thenCompose(local -> bindUdpSocket(frontend, local, router, sessions, bound).thenApply(x -> local));
        }
        return all.handle((local, failure) -> {
            if (failure != null || udpListeners.putIfAbsent(frontend, List.copyOf(bound)) != null) {
                bound.forEach(Channel::close);
                Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : failure;
                throw new java.util.concurrent.CompletionException(cause == null ? alreadyBound(frontend) : cause);
            }
            log.info("frontend bound frontend={} listen={} protocol=udp sockets={} transport={}", frontend, local,
                    bound.size(), transport());
            return local;
        });
    }

    private CompletableFuture<InetSocketAddress> bindUdpSocket(String frontend, InetSocketAddress listen,
            DatagramRouter router, AtomicInteger sessions, List<Channel> bound) {
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        Channel socket;
        try {
            socket = context.transport().newUdpListener(listen);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(asBindException(listen, e));
        }
        socket.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, DatagramBuffers.receiveBuffers(context.transport()));
        DatagramBuffers.scatteringReads(socket, context.transport());
        socket.pipeline().addLast(new UdpFrontend(frontend, router, context.transport(), sessions));
        group.register(socket).addListener(registered -> {
            if (!registered.isSuccess()) {
                socket.unsafe().closeForcibly();
                result.completeExceptionally(asBindException(listen, registered.cause()));
                return;
            }
            socket.bind(listen).addListener(done -> {
                if (!done.isSuccess()) {
                    socket.close();
                    result.completeExceptionally(asBindException(listen, done.cause()));
                } else {
                    bound.add(socket);
                    result.complete((InetSocketAddress) socket.localAddress());
                }
            });
        });
        return result;
    }

    /** Stops accepting on that frontend; its established connections continue untouched (a UDP frontend's end). */
    public CompletableFuture<Void> unbind(String frontend) {
        List<Channel> udp = udpListeners.remove(frontend);
        if (udp != null) {
            CompletableFuture<?>[] closing = udp.stream().map(c -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                c.close().addListener(x -> f.complete(null));
                return f;
            }).toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(closing).thenRun(() ->
                    log.info("frontend unbound frontend={} listen={} protocol=udp", frontend, udp.get(0).localAddress()));
        }
        Channel listener = listeners.remove(frontend);
        if (listener == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        listener.close().addListener(done -> {
            log.info("frontend unbound frontend={} listen={}", frontend, listener.localAddress());
            result.complete(null);
        });
        return result;
    }

    public Set<String> boundFrontends() {
        Set<String> names = new java.util.HashSet<>(listeners.keySet());
        names.addAll(udpListeners.keySet());
        return Set.copyOf(names);
    }

    /** The actual bound address (port 0 resolved), or {@code null} when the frontend is not bound. */
    public InetSocketAddress localAddress(String frontend) {
        List<Channel> udp = udpListeners.get(frontend);
        if (udp != null) {
            return (InetSocketAddress) udp.get(0).localAddress();
        }
        Channel listener = listeners.get(frontend);
        return listener == null ? null : (InetSocketAddress) listener.localAddress();
    }

    /** Flows (accepted connections) with a client or server channel still open. */
    public long activeConnections() {
        return context.active().sum();
    }

    /** "io_uring", "epoll" or "nio". */
    public String transport() {
        return context.transport().label();
    }

    /** Closes every listener and connection, then shuts the event loops down. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (String frontend : boundFrontends()) {
            unbind(frontend).join();
        }
        context.channels().close().awaitUninterruptibly();
        context.directFlows().forEach(DirectFlow::closeFromAnyThread);
        context.preambleTimer().stop();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Bytes queued in the proxy's channels and not yet written to a socket. */
    long pendingWriteBytes() {
        long sum = 0;
        for (Channel channel : context.channels()) {
            ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
            if (buffer != null) {
                sum += buffer.totalPendingWriteBytes();
            }
        }
        for (DirectFlow flow : context.directFlows()) {
            sum += flow.pendingBytes();
        }
        return sum;
    }

    /** Open client and server channels (connections on the channel path), for tests. */
    int channelCount() {
        return context.channels().size();
    }

    /**
     * Waits until every event loop has run a task given to it now, so has handled the events of what the kernel
     * already holds (a loop handles ready sockets before its tasks); for tests.
     */
    void awaitLoopTurn() {
        for (EventExecutor loop : group) {
            loop.submit(() -> {}).syncUninterruptibly();
        }
    }

    /** Handshake ACKs the event loops sent on their own, their client silent ({@link HandshakeAcks}); for tests. */
    long handshakeAcksSentAlone() {
        long sum = 0;
        for (EventExecutor loop : group) {
            sum += loop.submit(() -> HandshakeAcks.onThisLoop().sentAlone()).syncUninterruptibly().getNow();
        }
        return sum;
    }

    /** Open flows relayed without channels ({@link DirectFlow}), for tests. */
    int directFlowCount() {
        return context.directFlows().size();
    }

    /** The listener channel of a frontend, for tests that act on it directly. */
    Channel listener(String frontend) {
        return listeners.get(frontend);
    }

    /**
     * How a listener reads: Netty's default for server channels accepts one connection per wake-up (at most one
     * message, and level-triggered epoll reports a descriptor, not a byte count, so its "more data" guess is always
     * no), which made the event loop wait in epoll once per connection. This one accepts until EAGAIN, up to
     * {@value #ACCEPTS_PER_WAKEUP}: under load one wait serves several connections, at the cost of one EAGAIN
     * {@code accept4} per wake-up. A listener paused by its frontend's {@code max_connections} (AUTO_READ off) stops
     * at once, as before.
     */
    private static RecvByteBufAllocator acceptBatches() {
        ServerChannelRecvByteBufAllocator allocator = new ServerChannelRecvByteBufAllocator();
        allocator.maxMessagesPerRead(ACCEPTS_PER_WAKEUP);
        allocator.respectMaybeMoreData(false);
        return allocator;
    }

    private static IllegalStateException alreadyBound(String frontend) {
        return new IllegalStateException("frontend: " + frontend + " (expected: not bound)");
    }

    /**
     * Epoll reports bind errors as its own IOException ("bind(..) failed with error(-98): ..."); callers get one
     * type with the operating system's text as the JDK gives it (java.net's BindException) on either transport.
     */
    private static Throwable asBindException(InetSocketAddress listen, Throwable cause) {
        if (cause instanceof BindException) {
            return cause;
        }
        BindException bind = new BindException(cause instanceof Errors.NativeIoException n ? errnoText(n.expectedErr(),
                cause.getMessage()) : "listen: " + listen + " (" + cause.getMessage() + ")");
        bind.initCause(cause);
        return bind;
    }

    /** strerror(3) on Linux for the errors a bind meets (errno-base.h and errno.h: EACCES, EADDRINUSE, EADDRNOTAVAIL). */
    private static String errnoText(int negativeErrno, String fallback) {
        return switch (-negativeErrno) {
            case 13 -> "Permission denied";
            case 98 -> "Address already in use";
            case 99 -> "Cannot assign requested address";
            default -> fallback;
        };
    }
}
