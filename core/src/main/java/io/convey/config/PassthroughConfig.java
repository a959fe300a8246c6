package io.convey.config;

import java.time.Duration;

/**
 * The {@code [passthrough]} section, used by the packet modes: flow table size, worker threads, flow idle timeouts
 * per TCP state, how frames are captured, and whether the daemon sets up the host (firewall rules, receive
 * offloads) itself.
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
        boolean manageOffloads) {

    public static final int DEFAULT_CAPACITY = 1000;

    public static PassthroughConfig defaults() {
        return new PassthroughConfig(DEFAULT_CAPACITY, Runtime.getRuntime().availableProcessors(),
                Duration.ofSeconds(5), false, Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofSeconds(30), CaptureMethod.AUTO, false);
    }
}
