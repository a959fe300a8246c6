package io.convey.config;

import java.net.InetSocketAddress;

/**
 * One server of a backend pool, as configured.
 *
 * @param maxConnections proxied connections at most at once, 0 = no limit (proxy mode; the packet modes ignore it)
 */
public record ServerConfig(String name, InetSocketAddress addr, int weight, ServerState state, int maxConnections) {
    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = 65_535;
    public static final int MAX_CONNECTIONS = 10_000_000;

    /** Whether new connections may be sent here (health aside). */
    public boolean takesNewConnections() {
        return state == ServerState.ENABLED && weight > 0;
    }
}
