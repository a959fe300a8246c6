package io.convey.proxy;

import java.net.InetSocketAddress;

/**
 * Decides where a UDP frontend's new sessions go; implemented by the engine.
 *
 * <p>Called on Netty event loops, so implementations must not block: read the current snapshot and pick.
 */
public interface DatagramRouter {

    /** The frontend's session settings now, or null when it is no longer configured. */
    UdpSessionPolicy policy(String frontend);

    /** The server for a new session of {@code client}, or null when no server is eligible. */
    DatagramRoute select(String frontend, InetSocketAddress client);

    /** A client's datagram that would have opened a session was dropped: over the cap, or no server. */
    void dropped(String frontend, boolean overCap);
}
