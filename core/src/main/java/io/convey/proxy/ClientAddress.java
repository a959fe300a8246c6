package io.convey.proxy;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * The client address that traffic control, routing and the access log use: the one place that decides it, so that
 * an address named by a PROXY protocol header can replace the socket's peer here alone.
 */
final class ClientAddress {
    private ClientAddress() {}

    /** The effective client address of an accepted channel: today its peer address. */
    static InetSocketAddress of(Channel client) {
        return (InetSocketAddress) client.remoteAddress();
    }
}
