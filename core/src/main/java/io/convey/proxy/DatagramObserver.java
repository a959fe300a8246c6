package io.convey.proxy;

import java.time.Duration;

/**
 * Observes one UDP session for counters and passive health checks.
 *
 * <p>Called on the session's event loop, so implementations must not block. {@link #sessionClosed()} is called
 * exactly once, after {@link #sessionOpened()}.
 */
public interface DatagramObserver {

    void sessionOpened();

    /** A datagram of {@code bytes} from the client, sent on to the server. */
    void datagramFromClient(int bytes);

    /** A datagram of {@code bytes} from the server, relayed to the client. */
    void datagramFromServer(int bytes);

    void sessionClosed();

    /** The server's host answered ICMP port unreachable: nothing listens there. */
    default void unreachable() {}

    /** With counted responses, a request had no answer within {@code timeout}. */
    default void unanswered(Duration timeout) {}

    /** The session's server answered for the first time. */
    default void answered() {}
}
