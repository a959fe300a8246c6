package io.convey.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backend pool: its servers (in file order) and how they are chosen and checked.
 *
 * @param idleTimeout {@link Duration#ZERO} means connections never time out for idleness
 * @param traffic     the queue for full servers, slow start, passive health and source persistence
 */
public record PoolConfig(
        String name,
        Map<String, ServerConfig> servers,
        Duration healthCheckInterval,
        Duration healthCheckTimeout,
        int rise,
        int fall,
        Duration connectTimeout,
        Duration idleTimeout,
        Algorithm algorithm,
        DsrMethod dsrMethod,
        ServerDownAction onServerDown,
        TrafficControl traffic) {

    /** The original's default when {@code health_check_interval} is 0. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofMillis(3000);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(3000);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;

    public PoolConfig {
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }
}
