package io.convey.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;

/**
 * The Netty transport behind the proxy: io_uring, native epoll or NIO.
 *
 * <p>Epoll and NIO sockets are opened in the family of the address they serve. Netty's default is a dual-stack
 * IPv6 socket even for IPv4 peers, which costs an extra setsockopt per socket and IPv4-mapped address handling
 * in the kernel on every accept, connect and address lookup. Netty 4.2.18's io_uring channels have no such
 * constructor (the one that takes a socket marks it connected) and always open dual-stack sockets.
 */
public enum Transport {
    IO_URING("io_uring") {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return IoUringIoHandler.newFactory();
        }

        @Override
        ServerChannel newServerChannel(InetSocketAddress listen) {
            return new IoUringServerSocketChannel();
        }

        @Override
        SocketChannel newSocketChannel(InetSocketAddress remote) {
            return new IoUringSocketChannel();
        }

        @Override
        void delayHandshakeAck(SocketChannel server) {
            server.config().setOption(IoUringChannelOption.TCP_QUICKACK, false);
        }

        @Override
        DatagramChannel newDatagramChannel(InetSocketAddress address) {
            return new IoUringDatagramChannel();
        }

        @Override
        boolean reusesPorts() {
            return true;
        }

        @Override
        DatagramChannel newUdpListener(InetSocketAddress listen) {
            DatagramChannel channel = newDatagramChannel(listen);
            channel.config().setOption(IoUringChannelOption.SO_REUSEPORT, true);
            return channel;
        }

        @Override
        public Optional<Throwable> unavailability() {
            return IoUring.isAvailable() ? Optional.empty() : Optional.of(IoUring.unavailabilityCause());
        }
    },
    EPOLL("epoll") {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        ServerChannel newServerChannel(InetSocketAddress listen) {
            return new EpollProxyListener(family(listen));
        }

        @Override
        SocketChannel newSocketChannel(InetSocketAddress remote) {
            return new EpollProxyChannel(family(remote));
        }

        @Override
        void delayHandshakeAck(SocketChannel server) {
            server.config().setOption(EpollChannelOption.TCP_QUICKACK, false);
        }

        @Override
        DatagramChannel newDatagramChannel(InetSocketAddress address) {
            return new EpollDatagramChannel(family(address));
        }

        @Override
        boolean reusesPorts() {
            return true;
        }

        @Override
        UdpServerSide newUdpServerSide(InetSocketAddress server, UdpSession session, ByteBufAllocator alloc) {
            return new EpollUdpServerSide(server, session, alloc);
        }

        @Override
        DatagramChannel newUdpListener(InetSocketAddress listen) {
            DatagramChannel channel = newDatagramChannel(listen);
            channel.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
            return channel;
        }

        @Override
        public Optional<Throwable> unavailability() {
            return Epoll.isAvailable() ? Optional.empty() : Optional.of(Epoll.unavailabilityCause());
        }
    },
    NIO("nio") {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        ServerChannel newServerChannel(InetSocketAddress listen) {
            return new NioServerSocketChannel(SelectorProvider.provider(), family(listen));
        }

        @Override
        SocketChannel newSocketChannel(InetSocketAddress remote) {
            return new NioSocketChannel(SelectorProvider.provider(), family(remote));
        }

        @Override
        void delayHandshakeAck(SocketChannel server) {
            server.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_QUICKACK), false);
        }

        @Override
        DatagramChannel newDatagramChannel(InetSocketAddress address) {
            return new NioDatagramChannel(SelectorProvider.provider(), family(address));
        }

        @Override
        public Optional<Throwable> unavailability() {
            return Optional.empty();
        }
    };

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    abstract IoHandlerFactory ioHandlerFactory();

    /** A listener socket, not yet bound or registered. */
    abstract ServerChannel newServerChannel(InetSocketAddress listen);

    /**
     * A client socket to {@code remote}, not yet registered.
     *
     * @throws io.netty.channel.ChannelException when the socket cannot be created (EMFILE, ENFILE)
     */
    abstract SocketChannel newSocketChannel(InetSocketAddress remote);

    /**
     * The socket of a UDP session towards {@code server}, not yet connected: a Netty datagram channel, or on epoll
     * a socket on the event loop's epoll directly ({@link EpollUdpServerSide}).
     *
     * @throws RuntimeException when no socket can be had (EMFILE)
     */
    UdpServerSide newUdpServerSide(InetSocketAddress server, UdpSession session, ByteBufAllocator alloc) {
        return new ChannelUdpServerSide(this, server, session);
    }

    /**
     * A UDP socket in the family of {@code address} (a frontend's listen address or a session's server), not yet
     * registered.
     *
     * @throws io.netty.channel.ChannelException when the socket cannot be created (EMFILE, ENFILE)
     */
    abstract DatagramChannel newDatagramChannel(InetSocketAddress address);

    /**
     * Turns TCP_QUICKACK off on a server socket about to connect with bytes ready to send (a PROXY header), as the
     * relay without channels does ({@link SocketCalls#delayHandshakeAck(int)}): the handshake's ACK then leaves with
     * the header instead of in a packet of its own, which wakes the server once less per connection.
     */
    abstract void delayHandshakeAck(SocketChannel server);

    /**
     * Whether a UDP frontend gets one socket per event loop on one port (SO_REUSEPORT, the kernel spreading clients
     * by address and port); NIO has no such option and serves a UDP frontend from one socket.
     */
    boolean reusesPorts() {
        return false;
    }

    /** A UDP frontend's socket, with SO_REUSEPORT where {@link #reusesPorts()}; not yet registered or bound. */
    DatagramChannel newUdpListener(InetSocketAddress listen) {
        return newDatagramChannel(listen);
    }

    /** Why this transport cannot run on this machine (its native library did not load), or empty when it can. */
    public abstract Optional<Throwable> unavailability();

    /** The transport's name in the config, logs, {@code /stats} and the API: "io_uring", "epoll" or "nio". */
    public String label() {
        return label;
    }

    /**
     * The transport {@code transport = "auto"} picks: epoll where its native library loads, else NIO.
     *
     * <p>io_uring is not chosen automatically because it did not win on this kernel (6.18) with Netty 4.2.18,
     * measured side by side with epoll in bench/run (docs/benchmarks-history.md, December 2026): a new connection cost
     * the same or more CPU (48.8 against 47.1 ms per 1,000, and 12-14 against 8-12 µs of user time: Netty's
     * completion handling in Java outweighs the 13 against 35 system calls), a keep-alive request 2% more, bulk
     * transfer 4% more. It stays available as {@code transport = "io_uring"}. Since then the epoll path makes 22
     * system calls per proxied connection instead of 35 ({@link EpollProxyChannel}), and epoll's lead has grown:
     * 49.0 against io_uring's 62.0 ms of CPU per 1,000 new connections, the same jar side by side (5 rounds).
     */
    public static Transport best() {
        return EPOLL.unavailability().isEmpty() ? EPOLL : NIO;
    }

    private static SocketProtocolFamily family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }
}
