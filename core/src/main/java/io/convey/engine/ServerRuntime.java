package io.convey.engine;

import io.convey.config.ServerConfig;
import io.convey.stats.TrafficCounters;

/** A configured server with its live counters and its current health, inside one immutable state. */
record ServerRuntime(String pool, ServerConfig config, TrafficCounters counters, boolean up) {
    /** Eligible for new connections: enabled, weight above zero, and healthy. */
    boolean eligible() {
        return up && config.takesNewConnections();
    }

    int effectiveWeight() {
        return eligible() ? config.weight() : 0;
    }
}
