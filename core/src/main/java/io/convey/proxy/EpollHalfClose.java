package io.convey.proxy;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Native;
import java.io.IOException;
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
 * from emptying, as Netty did before that change.
 *
 * <p>It also sets the read interest of a socket before registration ({@link #readFromStart}), and shuts an epoll
 * socket's output without Netty's {@code shutdownOutput()}, which builds a {@code ChannelOutputShutdownException}
 * with a stack trace on every call (to fail writes still queued). Each does nothing on other transports.
 */
final class EpollHalfClose {
    private static final Logger log = LoggerFactory.getLogger(EpollHalfClose.class);

    private EpollHalfClose() {}

    /**
     * Called on the channel's event loop when its input is shut down, before Netty clears its read interest,
     * or before the channel is registered at all, which costs no system call.
     */
    static void keepRegistered(Channel channel) {
        if (channel instanceof EpollProxyChannel epoll && channel.isOpen()) {
            addInterest(epoll, Native.EPOLLERR);
        }
    }

    /**
     * Puts EPOLLIN into the interest set of a channel not yet registered, so the epoll_ctl(ADD) of registration
     * (accepted sockets) or of the connect (server sockets) carries it and the first read() (AUTO_READ) finds it
     * set: one epoll_ctl(MOD) less per socket. Only before registration.
     */
    static void readFromStart(Channel channel) {
        if (channel instanceof EpollProxyChannel epoll && !channel.isRegistered()) {
            addInterest(epoll, Native.EPOLLIN);
        }
    }

    /**
     * Sends a FIN on an epoll channel with the socket's own {@code shutdown(SHUT_WR)}, the system call Netty's
     * {@code shutdownOutput()} makes, without its exception. Only for a channel with nothing queued and nothing
     * more to write: Netty's outbound buffer stays open, so a later write would fail on the socket (EPIPE) and
     * close the channel rather than be refused. {@code isOutputShutdown()} reads the socket's state and is true
     * afterwards. Called on the channel's event loop.
     *
     * @return false when this is not an epoll channel: use shutdownOutput()
     * @throws IOException when the socket refuses the shutdown
     */
    static boolean shutdownOutput(Channel channel) throws IOException {
        if (channel instanceof EpollProxyChannel epoll) {
            epoll.shutdownSocketOutput();
            return true;
        }
        return false;
    }

    /**
     * Called when a read loop completes: if it ended with the peer's EOF on a channel that stays open half-closed, an
     * epoll channel stops reading with one epoll_ctl instead of two ({@link EpollProxyChannel#stopReadingAtEof}).
     * Netty's input shutdown follows as before. A channel that does not allow half-closure is closed by Netty right
     * after, which takes it out of epoll with no epoll_ctl at all, so it is left alone.
     */
    static void readLoopDone(Channel channel) {
        if (channel instanceof EpollProxyChannel epoll && epoll.config().isAllowHalfClosure()
                && channel.unsafe().recvBufAllocHandle().lastBytesRead() < 0) {
            try {
                epoll.stopReadingAtEof();
            } catch (IOException | RuntimeException e) {
                log.debug("cannot clear epoll interest at EOF channel={} cause={}", channel, e.toString());
            }
        }
    }

    private static void addInterest(EpollProxyChannel channel, int flag) {
        try {
            channel.addInterest(flag);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot add epoll interest channel={} flag={} cause={}", channel, flag, e.toString());
        }
    }
}
