package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.unix.Socket;
import io.netty.channel.uring.IoUringSocketChannel;
import java.io.IOException;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shuts an io_uring socket's output without Netty's {@code shutdownOutput()}, which builds a
 * {@code ChannelOutputShutdownException} with a stack trace on every call to fail writes still queued (measured:
 * 3.6% of the event loop's time on the new-connection test). The same as {@link EpollHalfClose#shutdownOutput}
 * on epoll: the channel's socket is reached by reflection, and if a later Netty renames the field this logs once
 * and the flow uses {@code shutdownOutput()}.
 */
final class UringSockets {
    private static final Logger log = LoggerFactory.getLogger(UringSockets.class);
    private static final Field SOCKET = findSocket();

    private UringSockets() {}

    /**
     * Sends a FIN with the socket's own {@code shutdown(SHUT_WR)}. Only for a channel with nothing queued and
     * nothing more to write; called on the channel's event loop.
     *
     * @return false when this is not an io_uring channel or its socket is not reachable
     * @throws IOException when the socket refuses the shutdown
     */
    static boolean shutdownOutput(Channel channel) throws IOException {
        if (SOCKET == null || !(channel instanceof IoUringSocketChannel)) {
            return false;
        }
        Socket socket;
        try {
            socket = (Socket) SOCKET.get(channel);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return false;
        }
        socket.shutdown(false, true);
        return true;
    }

    private static Field findSocket() {
        try {
            // Declared on the package-private AbstractIoUringChannel, two levels up.
            Field socket = IoUringSocketChannel.class.getSuperclass().getSuperclass().getDeclaredField("socket");
            socket.setAccessible(true);
            return Socket.class.isAssignableFrom(socket.getType()) ? socket : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("io_uring socket not reachable, half-close goes through shutdownOutput cause={}", e.toString());
            return null;
        }
    }
}
