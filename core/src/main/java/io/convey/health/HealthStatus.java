package io.convey.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What is known of a server's health now.
 *
 * @param up                   whether the server takes traffic; false until its first check
 * @param checked              whether the server has been checked at least once
 * @param lastCheck            when the last check finished, null before the first
 * @param lastLatency          how long the last check took to connect or fail, null before the first
 * @param consecutiveSuccesses successful checks in a row, 0 after a failure
 * @param consecutiveFailures  failed checks in a row, 0 after a success
 * @param lastError            reason of the most recent failed check, null if no check has failed
 * @param flapsLastHour        state changes within the last hour, not counting the first check's
 * @param history              transitions of the last hour, oldest first, at most 200
 * @param since                when the server entered its current state (UP or DOWN), null before the first check
 * @param downtime             total time DOWN since the first check (HAProxy's "Dwntme"), the current DOWN period included
 */
public record HealthStatus(boolean up, boolean checked, Instant lastCheck, Duration lastLatency,
        int consecutiveSuccesses, int consecutiveFailures, String lastError, int flapsLastHour,
        List<HealthTransition> history, Instant since, Duration downtime) {
    public HealthStatus {
        history = List.copyOf(history);
    }
}
