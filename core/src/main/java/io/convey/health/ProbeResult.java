package io.convey.health;

import java.time.Duration;
import java.util.Objects;

/**
 * Result of a one-off probe.
 *
 * @param reachable whether the TCP handshake completed within the timeout
 * @param latency   time until connected or failed
 * @param error     short reason such as {@code connect refused} or {@code timeout after 3000 ms}; null when reachable
 */
public record ProbeResult(boolean reachable, Duration latency, String error) {
    public ProbeResult {
        Objects.requireNonNull(latency, "latency");
        if (reachable != (error == null)) {
            throw new IllegalArgumentException("error: " + error + " (expected: null exactly when reachable)");
        }
    }
}
