package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.io.IOException;

/**
 * Shuts an io_uring socket's output without Netty's {@code shutdownOutput()} (measured: its exception cost 3.6%
 * of the event loop's time on the new-connection test), as {@link EpollHalfClose#shutdownOutput} does on epoll.
 */
final class UringSockets {
    // The socket field is declared on the package-private AbstractIoUringChannel, two levels up.
    private static final SocketShutdown SHUTDOWN = SocketShutdown.of("io_uring", IoUringSocketChannel.class,
            () -> IoUringSocketChannel.class.getSuperclass().getSuperclass());

    private UringSockets() {}

    /** See {@link SocketShutdown#shutdownOutput}; false when this is not an io_uring channel. */
    static boolean shutdownOutput(Channel channel) throws IOException {
        return SHUTDOWN.shutdownOutput(channel);
    }
}
