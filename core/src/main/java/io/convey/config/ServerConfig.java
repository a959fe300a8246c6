package io.convey.config;

import java.net.InetSocketAddress;

/** One server of a backend pool, as configured. */
public record ServerConfig(String name, InetSocketAddress addr, int weight, ServerState state) {
    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = 65_535;

    /** Whether new connections may be sent here (health aside). */
    public boolean takesNewConnections() {
        return state == ServerState.ENABLED && weight > 0;
    }
}
