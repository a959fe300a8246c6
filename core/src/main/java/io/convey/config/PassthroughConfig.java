package io.convey.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code [passthrough]} section, used by the packet modes: flow table size, worker threads, flow idle timeouts
 * per TCP state, how frames are captured, whether the daemon sets up the host (firewall rules, receive
 * offloads) itself, and the appliance's own addresses (at most one per family) that passthrough flows leave from
 * instead of the VIP ({@code source_addr}), which several appliances announcing one VIP need.
 */
public record PassthroughConfig(
        int connectionTrackerCapacity,
        int workers,
        Duration statsUpdateFrequency,
        boolean manageFirewall,
        Duration synTimeout,
        Duration establishedTimeout,
        Duration closingTimeout,
        CaptureMethod capture,
        boolean manageOffloads,
        List<InetAddress> sourceAddrs) {

    public static final int DEFAULT_CAPACITY = 1000;

    public PassthroughConfig {
        sourceAddrs = List.copyOf(sourceAddrs);
    }

    /** The {@code source_addr} of the VIP's family, if there is one. */
    public Optional<InetAddress> sourceAddrFor(InetAddress vip) {
        boolean ipv6 = vip instanceof Inet6Address;
        return sourceAddrs.stream().filter(a -> (a instanceof Inet6Address) == ipv6).findFirst();
    }

    public static PassthroughConfig defaults() {
        return new PassthroughConfig(DEFAULT_CAPACITY, Runtime.getRuntime().availableProcessors(),
                Duration.ofSeconds(5), false, Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofSeconds(30), CaptureMethod.AUTO, false, List.of());
    }
}
