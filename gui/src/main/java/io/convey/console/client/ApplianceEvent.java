package io.convey.console.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One event of the appliance's {@code GET /api/v1/events} stream. */
public sealed interface ApplianceEvent {

    /** Once a second: the last second's sample of every scope. */
    record Stats(Instant t, Map<String, Api.Sample> scopes) implements ApplianceEvent {
    }

    /** A server went up or down. */
    record HealthChanged(Instant at, String pool, String server, String addr, boolean up, String reason)
            implements ApplianceEvent {
    }

    /** A new configuration was applied. */
    record ConfigApplied(Instant at, long configVersion, String source, String summary) implements ApplianceEvent {
    }

    /** A configuration was refused; the running one stays. */
    record ConfigRejected(Instant at, String source, List<Api.Problem> problems) implements ApplianceEvent {
    }

    /** A VIP was announced or withdrawn, keepalived notified a VRRP state, or maintenance began or ended. */
    record AvailabilityChanged(Instant at) implements ApplianceEvent {
    }
}
