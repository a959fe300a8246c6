package io.convey.packet;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/**
 * A frontend as the packet data plane needs it: the VIP and port it captures, every configured server (in
 * passthrough their replies are captured too, healthy or not), the scheduler that picks among them and how client
 * segments are delivered to the servers.
 */
public record PassthroughFrontend(String name, Inet4Address vip, int port, List<ServerRef> servers,
                                  FlowScheduler scheduler, Delivery delivery) {

    public PassthroughFrontend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(delivery, "delivery");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        servers = List.copyOf(servers);
    }

    /** A passthrough (NAT) frontend. */
    public PassthroughFrontend(String name, Inet4Address vip, int port, List<ServerRef> servers,
                               FlowScheduler scheduler) {
        this(name, vip, port, servers, scheduler, Delivery.PASSTHROUGH);
    }

    int vipInt() {
        return Ipv4.toInt(vip);
    }
}
