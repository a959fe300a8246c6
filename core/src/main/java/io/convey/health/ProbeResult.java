package io.convey.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Result of a one-off probe.
 *
 * @param reachable whether the TCP handshake completed within the timeout
 * @param latency   time until connected or failed
 * @param error     short reason such as {@code connect refused} or {@code timeout after 3000 ms}; null when reachable
 * @param failure   the reason as a stable code for counters ({@code refused}, {@code timeout}, {@code no_route},
 *                  {@code bind}, {@code unresolved}, {@code socket}, {@code io}); null when reachable
 */
public record ProbeResult(boolean reachable, Duration latency, String error, String failure) {
    /** Every failure code, so that counters can show each at zero before it first happens. */
    public static final List<String> FAILURES = List.of("refused", "timeout", "no_route", "bind", "unresolved", "socket",
            "io");

    public ProbeResult {
        Objects.requireNonNull(latency, "latency");
        if (reachable != (error == null) || reachable != (failure == null)) {
            throw new IllegalArgumentException("error: " + error + " (expected: null exactly when reachable)");
        }
    }

    /** A result whose failure code is the generic {@code io}. */
    public ProbeResult(boolean reachable, Duration latency, String error) {
        this(reachable, latency, error, reachable ? null : "io");
    }
}
