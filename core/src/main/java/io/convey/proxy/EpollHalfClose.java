package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;
import java.io.IOException;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a half-closed epoll socket writable by keeping EPOLLERR in its epoll interest set.
 *
 * <p>Netty 4.2.18 removes a socket from epoll when its interest set becomes empty (netty/netty#16689) but
 * still treats it as added, so the next interest, EPOLLOUT when a write stalls, fails with epoll_ctl ENOENT
 * and Netty shuts the channel's output, losing the data. A proxy gets there whenever a reply to a client
 * that already sent its EOF is larger than the socket buffers: after EOF nothing is read, so the set empties.
 * The kernel reports EPOLLERR whether asked for or not, so adding it changes no event; it only keeps the set
 * from emptying, as Netty did before that change. {@code setFlag} is protected, hence the reflection; if a
 * later Netty renames it, this logs once and does nothing (and the large-reply half-close test fails).
 *
 * <p>The same reflection sets the read interest of an accepted socket before registration ({@link #readFromStart}).
 * It also shuts an epoll socket's output without Netty's {@code shutdownOutput()}, which builds a
 * {@code ChannelOutputShutdownException} with a stack trace on every call (to fail writes still queued).
 */
final class EpollHalfClose {
    private static final Logger log = LoggerFactory.getLogger(EpollHalfClose.class);
    private static final Method SET_FLAG = findSetFlag();
    // The socket field is declared on the package-private AbstractEpollChannel.
    private static final SocketShutdown SHUTDOWN = SocketShutdown.of("epoll", AbstractEpollStreamChannel.class,
            () -> AbstractEpollStreamChannel.class.getSuperclass());

    private EpollHalfClose() {}

    /**
     * Called on the channel's event loop when its input is shut down, before Netty clears its read interest,
     * or before the channel is registered at all, which costs no system call.
     */
    static void keepRegistered(Channel channel) {
        if (SET_FLAG == null || !(channel instanceof AbstractEpollStreamChannel) || !channel.isOpen()) {
            return;
        }
        try {
            SET_FLAG.invoke(channel, Native.EPOLLERR);
        } catch (ReflectiveOperationException e) {
            log.debug("cannot keep half-closed channel in epoll channel={} cause={}", channel, e.toString());
        }
    }

    /**
     * Puts EPOLLIN into the interest set of a channel not yet registered, so the epoll_ctl(ADD) of registration
     * carries it and the first read() (AUTO_READ) finds it set: one epoll_ctl(MOD) less per connection.
     * Only before registration; does nothing on NIO.
     */
    static void readFromStart(Channel channel) {
        if (SET_FLAG == null || !(channel instanceof AbstractEpollStreamChannel) || channel.isRegistered()) {
            return;
        }
        try {
            SET_FLAG.invoke(channel, Native.EPOLLIN);
        } catch (ReflectiveOperationException e) {
            log.debug("cannot preset read interest channel={} cause={}", channel, e.toString());
        }
    }

    /**
     * Sends a FIN on an epoll channel with the socket's own {@code shutdown(SHUT_WR)}, the system call Netty's
     * {@code shutdownOutput()} makes, without its exception. Only for a channel with nothing queued and nothing
     * more to write: Netty's outbound buffer stays open, so a later write would fail on the socket (EPIPE) and
     * close the channel rather than be refused. {@code isOutputShutdown()} reads the socket's state and is true
     * afterwards. Called on the channel's event loop.
     *
     * @return false when this cannot be done here (NIO, or a Netty without that field): use shutdownOutput()
     * @throws IOException when the socket refuses the shutdown
     */
    static boolean shutdownOutput(Channel channel) throws IOException {
        return SHUTDOWN.shutdownOutput(channel);
    }

    private static Method findSetFlag() {
        try {
            // Declared on the package-private AbstractEpollChannel.
            Method setFlag = AbstractEpollStreamChannel.class.getSuperclass().getDeclaredMethod("setFlag", int.class);
            setFlag.setAccessible(true);
            return setFlag;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.warn("epoll half-close workaround unavailable, large replies after a client EOF may be cut cause={}",
                    e.toString());
            return null;
        }
    }
}
