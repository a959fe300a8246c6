package io.convey.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A server a passthrough flow can be sent to: its name for logs and its address as an int, an IPv4 address
 * (network order) or an IPv6 id ({@link Ipv6}).
 */
public record ServerRef(String name, int ip, int port) {

    public ServerRef {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
    }

    /** Creates a reference to an IPv4 or IPv6 address (an IPv6 address gets its process-wide id). */
    public static ServerRef of(String name, InetAddress address, int port) {
        return new ServerRef(name, intOf(address), port);
    }

    /** The data plane's int for an address: the IPv4 address itself, or the IPv6 address's id. */
    static int intOf(InetAddress address) {
        return switch (address) {
            case Inet4Address v4 -> Ipv4.toInt(v4);
            case Inet6Address v6 -> Ipv6.id(v6);
            default -> throw new IllegalArgumentException("address: " + address + " (expected: IPv4 or IPv6)");
        };
    }

    /** Returns true if the server is addressed by IPv6. */
    public boolean isIpv6() {
        return Ipv6.isId(ip);
    }

    /** The address as text (dotted decimal, or RFC 5952 for IPv6). */
    public String host() {
        return isIpv6() ? Ipv6.format(ip) : Ipv4.format(ip);
    }

    @Override
    public String toString() {
        return name + "(" + (isIpv6() ? "[" + host() + "]" : host()) + ":" + port + ")";
    }
}
