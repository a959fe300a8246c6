package io.convey.packet;

import io.convey.traffic.AccessSink;
import io.convey.traffic.FrontendGuard;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A frontend as the packet data plane needs it: the VIP and port it captures, every configured server (in
 * passthrough their replies are captured too, healthy or not), the scheduler that picks among them, how client
 * segments are delivered to the servers and, in passthrough, the address flows leave from towards the servers
 * ({@code source}: the VIP itself, or the appliance's own address when several appliances announce the VIP and the
 * servers' replies must come back to the one that holds the flow). The VIP, the source and the servers are of one
 * family (no NAT64); IPv6 works in passthrough and DSR nat, DSR l2 and ipip are IPv4-only. A frontend forwards TCP
 * or UDP ({@link Transport}); a TCP and a UDP frontend may share a VIP and port. The {@code guard} admits the first
 * packet of each flow (allow/deny, rate limit) and {@code accessLog} takes one entry per flow at its end.
 */
public record PassthroughFrontend(String name, InetAddress vip, int port, List<ServerRef> servers,
                                  FlowScheduler scheduler, Delivery delivery, InetAddress source, Transport transport,
                                  FrontendGuard guard, AccessSink accessLog) {

    public PassthroughFrontend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(transport, "transport");
        if (source == null) {
            source = vip;
        }
        if ((source instanceof Inet6Address) != (vip instanceof Inet6Address)) {
            throw new IllegalArgumentException("source: " + host(source) + " (expected: an address of the VIP "
                    + host(vip) + "'s family)");
        }
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
                               FlowScheduler scheduler, Delivery delivery, InetAddress source, Transport transport) {
        this(name, vip, port, servers, scheduler, delivery, source, transport, FrontendGuard.OPEN, AccessSink.OFF);
    }

    /** A TCP frontend without traffic control. */
    public PassthroughFrontend(String name, InetAddress vip, int port, List<ServerRef> servers,
                               FlowScheduler scheduler, Delivery delivery, InetAddress source) {
        this(name, vip, port, servers, scheduler, delivery, source, Transport.TCP);
    }

    /** A TCP frontend whose passthrough flows leave from the VIP, without traffic control. */
    public PassthroughFrontend(String name, InetAddress vip, int port, List<ServerRef> servers,
                               FlowScheduler scheduler, Delivery delivery) {
        this(name, vip, port, servers, scheduler, delivery, vip);
    }

    /** A TCP frontend whose passthrough flows leave from the VIP, with traffic control. */
    public PassthroughFrontend(String name, InetAddress vip, int port, List<ServerRef> servers,
                               FlowScheduler scheduler, Delivery delivery, FrontendGuard guard, AccessSink accessLog) {
        this(name, vip, port, servers, scheduler, delivery, vip, Transport.TCP, guard, accessLog);
    }

    /** A passthrough (NAT) frontend whose flows leave from the VIP. */
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

    /** The address passthrough flows leave from towards the servers, as text (the replies' destination). */
    String sourceHost() {
        return host(source);
    }

    int sourceInt() {
        return ServerRef.intOf(source);
    }

    private static String host(InetAddress address) {
        return address instanceof Inet6Address v6 ? Ipv6.format(v6) : address.getHostAddress();
    }
}
