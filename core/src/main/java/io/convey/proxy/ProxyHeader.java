package io.convey.proxy;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/** The PROXY protocol header a pool's server connections start with, if any ({@code send_proxy}). */
public enum ProxyHeader {
    NONE,
    V1,
    V2;

    /**
     * The header for a connection: the effective client as source, the address it connected to as destination.
     * Mixed families (an IPv4 client on an IPv6 listener) go as TCP6 with the IPv4 address mapped (::ffff:a.b.c.d),
     * since a header holds one family. {@code listener} gives the address the client connected to when no PROXY header
     * named it (read here, for the pools that send a header, not for every connection).
     */
    HAProxyMessage message(ConnectionOrigin origin, Supplier<InetSocketAddress> listener) {
        InetSocketAddress source = origin.client();
        InetSocketAddress destination = origin.destination() != null ? origin.destination() : listener.get();
        boolean ipv4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        return new HAProxyMessage(this == V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2,
                HAProxyCommand.PROXY, ipv4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                text(source.getAddress(), ipv4), text(destination.getAddress(), ipv4), source.getPort(),
                destination.getPort());
    }

    private static String text(InetAddress address, boolean ipv4) {
        // RFC 5952's short form (::1, not 0:0:0:0:0:0:0:1), as HAProxy and NGINX write it; never a scope.
        String literal = NetUtil.toAddressString(address);
        return !ipv4 && address instanceof Inet4Address ? "::ffff:" + literal : literal;
    }
}
