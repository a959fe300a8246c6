package io.convey.proxy;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The Netty transport behind the proxy: native epoll where it loads, NIO otherwise. */
enum Transport {
    EPOLL("epoll", EpollServerSocketChannel.class, EpollSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }
    },
    NIO("nio", NioServerSocketChannel.class, NioSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }
    };

    private final String label;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;

    Transport(String label, Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> socketChannel) {
        this.label = label;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    abstract IoHandlerFactory ioHandlerFactory();

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    String label() {
        return label;
    }

    /** Epoll when its native library loaded on this machine (Linux x86_64 with the runtime jar), else NIO. */
    static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }
}
