package io.convey.proxy;

import static io.netty.channel.ChannelOption.SO_BACKLOG;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.AbstractEpollServerChannel;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * A frontend's epoll listener whose accepted connections are {@link EpollProxyChannel}s: Netty's accept loop
 * ({@code accept4} until EAGAIN, up to {@value ProxyServer#ACCEPTS_PER_WAKEUP} per wake-up with the allocator
 * {@link ProxyServer} gives every listener), with the child built without address or option reads.
 *
 * <p>The listener has {@code TCP_NODELAY} set once: Linux copies it to every socket it accepts (the accepted
 * socket is a clone of the listener's), so no accepted socket needs its own {@code setsockopt}.
 */
final class EpollProxyListener extends AbstractEpollServerChannel implements ServerSocketChannel {
    private final Config config = new Config(this);
    /**
     * The listener's address when it is bound to one address (not a wildcard): then it is every accepted socket's
     * local address too, and a connection that asks for it (a PROXY header's destination) needs no getsockname.
     */
    private volatile InetSocketAddress childLocal;
    /** Takes accepted connections that need no channel ({@link DirectFlow}); null: every one gets a channel. */
    private Taker taker;

    /** Stands for a connection a {@link Taker} took, in the listener's pipeline, where a child channel would be. */
    static final Channel TAKEN = new EmbeddedChannel();

    /** Takes an accepted connection without a channel, or declines it; on the listener's loop. */
    @FunctionalInterface
    interface Taker {
        /** Whether the connection {@code fd} from {@code remote} (to {@code local}, null if not known) was taken. */
        boolean take(int fd, InetSocketAddress remote, InetSocketAddress local);
    }

    EpollProxyListener(SocketProtocolFamily family) {
        super(LinuxSocket.newSocketStream(family), false);
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return null;
    }

    /** As Netty's {@code EpollServerSocketChannel}: bind, listen, then hand the socket to epoll. */
    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        socket.setTcpNoDelay(true);
        socket.listen(config.getBacklog());
        InetSocketAddress bound = socket.localAddress();
        childLocal = bound.getAddress().isAnyLocalAddress() ? null : bound;
        active = true;
        // Netty's own listener submits its interest set here through a package-private method; adding the read
        // interest (which AUTO_READ adds right after, at channelActive) makes the same epoll_ctl(ADD).
        setFlag(Native.EPOLLIN);
    }

    /** Set before the listener is registered. */
    void taker(Taker taker) {
        this.taker = taker;
    }

    /**
     * A channel for the accepted connection, or {@link #TAKEN} when the taker took it: Netty's accept loop passes
     * whatever this returns down the listener's pipeline, and has no way to skip one.
     */
    @Override
    protected Channel newChildChannel(int fd, byte[] address, int offset, int len) {
        InetSocketAddress remote = NativeInetAddress.address(address, offset, len);
        InetSocketAddress local = childLocal;
        if (taker != null && taker.take(fd, remote, local)) {
            return TAKEN;
        }
        return new EpollProxyChannel(this, LinuxSocket.newSocket(fd), remote, local);
    }

    /** Backlog, SO_REUSEADDR and SO_RCVBUF of the listener (the receive buffer is inherited by accepted sockets). */
    static final class Config extends EpollChannelConfig implements ServerSocketChannelConfig {
        private volatile int backlog = NetUtil.SOMAXCONN;

        Config(EpollProxyListener channel) {
            super(channel);
        }

        @Override
        public Map<ChannelOption<?>, Object> getOptions() {
            return getOptions(super.getOptions(), SO_RCVBUF, SO_REUSEADDR, SO_BACKLOG);
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> T getOption(ChannelOption<T> option) {
            if (option == SO_RCVBUF) {
                return (T) Integer.valueOf(getReceiveBufferSize());
            } else if (option == SO_REUSEADDR) {
                return (T) Boolean.valueOf(isReuseAddress());
            } else if (option == SO_BACKLOG) {
                return (T) Integer.valueOf(getBacklog());
            }
            return super.getOption(option);
        }

        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            validate(option, value);
            if (option == SO_RCVBUF) {
                setReceiveBufferSize((Integer) value);
            } else if (option == SO_REUSEADDR) {
                setReuseAddress((Boolean) value);
            } else if (option == SO_BACKLOG) {
                setBacklog((Integer) value);
            } else {
                return super.setOption(option, value);
            }
            return true;
        }

        @Override
        public int getBacklog() {
            return backlog;
        }

        @Override
        public Config setBacklog(int backlog) {
            if (backlog < 0) {
                throw new IllegalArgumentException("backlog: " + backlog + " (expected: >= 0)");
            }
            this.backlog = backlog;
            return this;
        }

        @Override
        public boolean isReuseAddress() {
            try {
                return socket().isReuseAddress();
            } catch (IOException e) {
                throw new ChannelException(e);
            }
        }

        @Override
        public Config setReuseAddress(boolean reuseAddress) {
            try {
                socket().setReuseAddress(reuseAddress);
                return this;
            } catch (IOException e) {
                throw new ChannelException(e);
            }
        }

        @Override
        public int getReceiveBufferSize() {
            try {
                return socket().getReceiveBufferSize();
            } catch (IOException e) {
                throw new ChannelException(e);
            }
        }

        @Override
        public Config setReceiveBufferSize(int receiveBufferSize) {
            try {
                socket().setReceiveBufferSize(receiveBufferSize);
                return this;
            } catch (IOException e) {
                throw new ChannelException(e);
            }
        }

        /** Ignored, as by Netty's own listeners. */
        @Override
        public Config setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
            return this;
        }

        // The setters below only narrow their return type for ServerSocketChannelConfig.

        @Override
        public Config setConnectTimeoutMillis(int connectTimeoutMillis) {
            super.setConnectTimeoutMillis(connectTimeoutMillis);
            return this;
        }

        @Override
        @Deprecated
        public Config setMaxMessagesPerRead(int maxMessagesPerRead) {
            super.setMaxMessagesPerRead(maxMessagesPerRead);
            return this;
        }

        @Override
        public Config setWriteSpinCount(int writeSpinCount) {
            super.setWriteSpinCount(writeSpinCount);
            return this;
        }

        @Override
        public Config setAllocator(ByteBufAllocator allocator) {
            super.setAllocator(allocator);
            return this;
        }

        @Override
        public Config setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
            super.setRecvByteBufAllocator(allocator);
            return this;
        }

        @Override
        public Config setAutoRead(boolean autoRead) {
            super.setAutoRead(autoRead);
            return this;
        }

        @Override
        @Deprecated
        public Config setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
            super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
            return this;
        }

        @Override
        @Deprecated
        public Config setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
            super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
            return this;
        }

        @Override
        public Config setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
            super.setWriteBufferWaterMark(writeBufferWaterMark);
            return this;
        }

        @Override
        public Config setMessageSizeEstimator(MessageSizeEstimator estimator) {
            super.setMessageSizeEstimator(estimator);
            return this;
        }
    }
}
