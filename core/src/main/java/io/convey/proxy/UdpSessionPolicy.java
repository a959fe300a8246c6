package io.convey.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * How a UDP frontend's sessions live.
 *
 * @param idleTimeout a session ends after this long without a datagram either way
 * @param responses   answers expected per client datagram; the session ends once all came (negative: unlimited,
 *                    the session ends when idle; 0: it ends once the client's datagram is sent)
 * @param maxSessions sessions at once on the frontend; a datagram that would open one more is dropped
 */
public record UdpSessionPolicy(Duration idleTimeout, int responses, int maxSessions) {
    public UdpSessionPolicy {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions: " + maxSessions + " (expected: >= 1)");
        }
    }

    boolean countsResponses() {
        return responses >= 0;
    }
}
