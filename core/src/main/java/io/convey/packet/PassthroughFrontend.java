package io.convey.packet;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/**
 * A passthrough frontend as the data plane needs it: the VIP and port it captures, every configured server (their
 * replies are captured too, healthy or not) and the scheduler that picks among them.
 */
public record PassthroughFrontend(String name, Inet4Address vip, int port, List<ServerRef> servers,
                                  FlowScheduler scheduler) {

    public PassthroughFrontend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(scheduler, "scheduler");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        servers = List.copyOf(servers);
    }

    int vipInt() {
        return Ipv4.toInt(vip);
    }
}
