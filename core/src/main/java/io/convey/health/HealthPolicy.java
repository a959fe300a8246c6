package io.convey.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How a pool's servers are checked.
 *
 * @param interval time between the starts of two checks of one server
 * @param timeout  how long a TCP connect may take before the check fails
 * @param rise     consecutive successes that bring a DOWN server UP
 * @param fall     consecutive failures that take an UP server DOWN
 * @param passive  no probes: the data plane reports what traffic shows ({@link HealthChecker#report}), and a DOWN
 *                 server is tried again after {@code interval} (as NGINX's {@code fail_timeout})
 */
public record HealthPolicy(Duration interval, Duration timeout, int rise, int fall, boolean passive) {

    /** A policy of active TCP probes. */
    public HealthPolicy(Duration interval, Duration timeout, int rise, int fall) {
        this(interval, timeout, rise, fall, false);
    }

    public HealthPolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval: " + interval.toMillis() + " ms (expected: at least 1 ms)");
        }
        TcpProbe.requireValidTimeout(timeout);
        if (rise < 1) {
            throw new IllegalArgumentException("rise: " + rise + " (expected: at least 1)");
        }
        if (fall < 1) {
            throw new IllegalArgumentException("fall: " + fall + " (expected: at least 1)");
        }
    }
}
