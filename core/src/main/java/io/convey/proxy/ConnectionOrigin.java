package io.convey.proxy;

import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a proxied connection comes from, as balancing, access rules and logs should see it: the effective client
 * address is the socket's peer, or the source an upstream balancer gave in a PROXY protocol header
 * ({@code accept_proxy}).
 *
 * @param client      the effective client: the PROXY header's source if one was read, else the socket's peer
 * @param destination the address the client connected to as a PROXY header gave it; null for the socket's own view,
 *                    whose local address is read only where it is needed (a getsockname per connection otherwise)
 * @param peer        the socket's peer (the upstream balancer when {@link #proxied()})
 * @param serverName  the server name of the TLS ClientHello on an SNI frontend (lower case), else null
 */
public record ConnectionOrigin(InetSocketAddress client, InetSocketAddress destination, InetSocketAddress peer,
        String serverName) {

    public ConnectionOrigin {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(peer, "peer");
    }

    /** The socket's own view: no PROXY header, no server name. */
    static ConnectionOrigin of(SocketChannel channel) {
        return new ConnectionOrigin(channel.remoteAddress(), null, channel.remoteAddress(), null);
    }

    /** Whether the client address came from a PROXY protocol header rather than from the socket. */
    public boolean proxied() {
        return !client.equals(peer);
    }

    ConnectionOrigin withServerName(String name) {
        return new ConnectionOrigin(client, destination, peer, name);
    }
}
