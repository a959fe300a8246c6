package io.convey.engine;

import io.convey.config.ServerConfig;
import io.convey.stats.TrafficCounters;
import java.time.Instant;

/**
 * A configured server with its live counters and its current health, inside one immutable state.
 *
 * @param rampStart when its slow start began (it came up, was enabled or added), null when it takes its full weight
 */
record ServerRuntime(String pool, ServerConfig config, TrafficCounters counters, boolean up, Instant rampStart) {
    /** Eligible for new connections: enabled, weight above zero, and healthy. */
    boolean eligible() {
        return up && config.takesNewConnections();
    }
}
