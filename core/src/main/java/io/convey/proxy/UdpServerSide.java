package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/**
 * The server side of a {@link UdpSession}: a datagram socket connected to the session's server, on the session's
 * event loop. It hands the server's datagrams, read errors and end to the session.
 */
interface UdpServerSide {

    /** Connects the socket to {@code address} and starts reading; failures reach the session. */
    void open(EventLoop loop, InetSocketAddress address);

    /**
     * Sends one client datagram to the server, or holds it until the socket is ready; owns {@code content}, which may
     * be the event loop's receive buffer ({@link DatagramBuffers}): a side that does not send it at once copies it out.
     *
     * @return true when a {@link #flush} is due
     */
    boolean send(ByteBuf content);

    /** Pushes out what {@link #send} queued; false while the socket is not connected yet. */
    boolean flush();

    /** Closes the socket; nothing is read from it afterwards. */
    void close();
}
