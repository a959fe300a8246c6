package io.convey.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a server's state, with its reason.
 *
 * @param at     when the check that caused the change finished
 * @param up     the new state
 * @param reason why, e.g. {@code connect refused (3/3 fails)} or {@code first check: connect ok (1.0 ms)}
 */
public record HealthTransition(Instant at, boolean up, String reason) {
    public HealthTransition {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}
