package io.convey.proxy;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The PROXY protocol header a pool's server connections start with, if any ({@code send_proxy}). */
public enum ProxyHeader {
    NONE,
    V1,
    V2;

    /**
     * The header for a connection: the effective client as source, the address it connected to as destination.
     * Mixed families (an IPv4 client on an IPv6 listener) go as TCP6 with the IPv4 address mapped (::ffff:a.b.c.d),
     * since a header holds one family.
     */
    HAProxyMessage message(ConnectionOrigin origin) {
        InetSocketAddress source = origin.client();
        InetSocketAddress destination = origin.destination();
        boolean ipv4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        return new HAProxyMessage(this == V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2,
                HAProxyCommand.PROXY, ipv4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                text(source.getAddress(), ipv4), text(destination.getAddress(), ipv4), source.getPort(),
                destination.getPort());
    }

    private static String text(InetAddress address, boolean ipv4) {
        String literal = address.getHostAddress();
        if (!ipv4 && address instanceof Inet4Address) {
            return "::ffff:" + literal;
        }
        // A scoped IPv6 address (fe80::1%eth0) has no scope in the header.
        int scope = literal.indexOf('%');
        return scope < 0 ? literal : literal.substring(0, scope);
    }
}
