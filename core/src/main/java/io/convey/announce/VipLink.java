package io.convey.announce;

import java.io.IOException;
import java.net.InetAddress;

/** Where the daemon holds the VIPs it wants announced; the speaker exports exactly what is held. */
interface VipLink extends AutoCloseable {

    /** Holds {@code vip}, on the drain device when {@code draining}; moves it if it was held on the other one. */
    void hold(InetAddress vip, boolean draining) throws IOException;

    /** Stops holding {@code vip} (the speaker withdraws it). */
    void release(InetAddress vip) throws IOException;

    /** Releases everything; the devices go away. */
    @Override
    void close();
}
