package io.convey.packet;

import io.convey.traffic.AccessSink;
import io.convey.traffic.FrontendGuard;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A frontend as the packet data plane needs it: the VIP and port it captures, every configured server (in
 * passthrough their replies are captured too, healthy or not), the scheduler that picks among them and how client
 * segments are delivered to the servers. The VIP and its servers are of one family (no NAT64); IPv6 works in
 * passthrough and DSR nat, DSR l2 and ipip are IPv4-only. The {@code guard} admits the first packet of each flow
 * (allow/deny, rate limit) and {@code accessLog} takes one entry per flow at its end.
 */
public record PassthroughFrontend(String name, InetAddress vip, int port, List<ServerRef> servers,
                                  FlowScheduler scheduler, Delivery delivery, FrontendGuard guard,
                                  AccessSink accessLog) {

    public PassthroughFrontend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(accessLog, "accessLog");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        boolean ipv6 = vip instanceof Inet6Address;
        if (ipv6 && (delivery == Delivery.DSR_L2 || delivery == Delivery.DSR_IPIP)) {
            throw new IllegalArgumentException("vip: " + host(vip) + " (expected: an IPv4 address for dsr_method "
                    + delivery.id() + ")");
        }
        servers = List.copyOf(servers);
        for (ServerRef s : servers) {
            if (s.isIpv6() != ipv6) {
                throw new IllegalArgumentException("server " + s.name() + ": " + s.host() + " (expected: an "
                        + (ipv6 ? "IPv6" : "IPv4") + " address, like the VIP " + host(vip) + ")");
            }
        }
    }

    /** A frontend without traffic control. */
    public PassthroughFrontend(String name, InetAddress vip, int port, List<ServerRef> servers,
                               FlowScheduler scheduler, Delivery delivery) {
        this(name, vip, port, servers, scheduler, delivery, FrontendGuard.OPEN, AccessSink.OFF);
    }

    /** A passthrough (NAT) frontend. */
    public PassthroughFrontend(String name, InetAddress vip, int port, List<ServerRef> servers,
                               FlowScheduler scheduler) {
        this(name, vip, port, servers, scheduler, Delivery.PASSTHROUGH);
    }

    /** Returns true if the VIP (and so every server) is IPv6. */
    public boolean isIpv6() {
        return vip instanceof Inet6Address;
    }

    /** The VIP as text, without an IPv6 scope (as BPF, iptables and logs take it). */
    String vipHost() {
        return host(vip);
    }

    int vipInt() {
        return ServerRef.intOf(vip);
    }

    private static String host(InetAddress address) {
        return address instanceof Inet6Address v6 ? Ipv6.format(v6) : address.getHostAddress();
    }
}
