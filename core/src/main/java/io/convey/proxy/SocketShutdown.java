package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a FIN on a Netty io_uring channel with its socket's own {@code shutdown(SHUT_WR)}, the system call Netty's
 * {@code shutdownOutput()} makes, without the {@code ChannelOutputShutdownException} (with a stack trace) Netty
 * builds on every call to fail writes still queued. (Epoll channels are our own {@link EpollProxyChannel}, which
 * reaches its socket directly.) The socket is a private field of Netty's package-private channel base class,
 * hence the reflection; if a later Netty renames it, this logs once at DEBUG
 * and {@link #shutdownOutput} answers false, so the flow uses {@code shutdownOutput()}.
 */
final class SocketShutdown {
    private static final Logger log = LoggerFactory.getLogger(SocketShutdown.class);

    private final Class<? extends Channel> channelType;
    private final Field socket;

    private SocketShutdown(Class<? extends Channel> channelType, Field socket) {
        this.channelType = channelType;
        this.socket = socket;
    }

    /**
     * @param channelType the transport's stream channel class
     * @param declaring   the class declaring the {@code socket} field (looked up lazily: the transport's classes
     *                    may fail to link where its native library is missing)
     */
    static SocketShutdown of(String transport, Class<? extends Channel> channelType, Supplier<Class<?>> declaring) {
        try {
            Field field = declaring.get().getDeclaredField("socket");
            field.setAccessible(true);
            return new SocketShutdown(channelType, Socket.class.isAssignableFrom(field.getType()) ? field : null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("{} socket not reachable, half-close goes through shutdownOutput cause={}", transport, e.toString());
            return new SocketShutdown(channelType, null);
        }
    }

    /**
     * Only for a channel with nothing queued and nothing more to write: Netty's outbound buffer stays open, so a
     * later write fails on the socket (EPIPE) and closes the channel rather than being refused. Called on the
     * channel's event loop.
     *
     * @return false when the channel is not of this transport or its socket is not reachable
     * @throws IOException when the socket refuses the shutdown
     */
    boolean shutdownOutput(Channel channel) throws IOException {
        if (socket == null || !channelType.isInstance(channel)) {
            return false;
        }
        Socket s;
        try {
            s = (Socket) socket.get(channel);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return false;
        }
        s.shutdown(false, true);
        return true;
    }
}
