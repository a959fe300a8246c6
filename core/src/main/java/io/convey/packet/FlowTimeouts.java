package io.convey.packet;

import java.time.Duration;
import java.util.Objects;

/**
 * Idle timeouts per flow state: a handshake that never completes, an established flow, a flow half-closed by one
 * FIN, and the short time-wait after both FINs or a RST, during which late segments of the flow still pass.
 */
public record FlowTimeouts(Duration handshake, Duration established, Duration closing, Duration timeWait) {

    public FlowTimeouts {
        requirePositive("handshake", handshake);
        requirePositive("established", established);
        requirePositive("closing", closing);
        requirePositive("timeWait", timeWait);
    }

    /** Defaults close to Linux IPVS: 30 s handshake, 15 min established, 60 s closing, 2 s time-wait. */
    public static FlowTimeouts defaults() {
        return new FlowTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofSeconds(60),
                Duration.ofSeconds(2));
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
