package io.convey.proxy;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;

/**
 * The Netty transport behind the proxy: native epoll where it loads, NIO otherwise.
 *
 * <p>Sockets are opened in the family of the address they serve. Netty's default is a dual-stack IPv6 socket
 * even for IPv4 peers, which costs an extra setsockopt per socket and IPv4-mapped address handling in the
 * kernel on every accept, connect and address lookup.
 */
enum Transport {
    EPOLL("epoll") {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        ServerChannel newServerChannel(InetSocketAddress listen) {
            return new EpollServerSocketChannel(family(listen));
        }

        @Override
        SocketChannel newSocketChannel(InetSocketAddress remote) {
            return new EpollSocketChannel(family(remote));
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

    String label() {
        return label;
    }

    /** Epoll when its native library loaded on this machine (Linux x86_64 with the runtime jar), else NIO. */
    static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    private static SocketProtocolFamily family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }
}
