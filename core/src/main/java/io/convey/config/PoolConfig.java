package io.convey.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backend pool: its servers (in file order) and how they are chosen and checked.
 *
 * @param idleTimeout {@link Duration#ZERO} means connections never time out for idleness
 * @param healthCheck how servers are checked ({@code health_check}, {@code health_check_port})
 * @param sendProxy   the PROXY protocol header written first on each server connection in proxy mode
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
        HealthCheckSettings healthCheck,
        SendProxy sendProxy,
        TrafficControl traffic) {

    /** The original's default when {@code health_check_interval} is 0. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofMillis(3000);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(3000);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;

    public PoolConfig {
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
        java.util.Objects.requireNonNull(sendProxy, "sendProxy");
        java.util.Objects.requireNonNull(traffic, "traffic");
    }

    /** A pool with the default queue and without slow start, passive health or persistence. */
    public PoolConfig(String name, Map<String, ServerConfig> servers, Duration healthCheckInterval,
            Duration healthCheckTimeout, int rise, int fall, Duration connectTimeout, Duration idleTimeout,
            Algorithm algorithm, DsrMethod dsrMethod, ServerDownAction onServerDown, HealthCheckSettings healthCheck,
            SendProxy sendProxy) {
        this(name, servers, healthCheckInterval, healthCheckTimeout, rise, fall, connectTimeout, idleTimeout, algorithm,
                dsrMethod, onServerDown, healthCheck, sendProxy, TrafficControl.DEFAULT);
    }

    /** A pool checked by TCP connects to each server's own port, its connections without PROXY header. */
    public PoolConfig(String name, Map<String, ServerConfig> servers, Duration healthCheckInterval,
            Duration healthCheckTimeout, int rise, int fall, Duration connectTimeout, Duration idleTimeout,
            Algorithm algorithm, DsrMethod dsrMethod, ServerDownAction onServerDown, TrafficControl traffic) {
        this(name, servers, healthCheckInterval, healthCheckTimeout, rise, fall, connectTimeout, idleTimeout, algorithm,
                dsrMethod, onServerDown, HealthCheckSettings.DEFAULT, SendProxy.NONE, traffic);
    }

    /** A pool checked by TCP connects to each server's own port, its connections without PROXY header. */
    public PoolConfig(String name, Map<String, ServerConfig> servers, Duration healthCheckInterval,
            Duration healthCheckTimeout, int rise, int fall, Duration connectTimeout, Duration idleTimeout,
            Algorithm algorithm, DsrMethod dsrMethod, ServerDownAction onServerDown) {
        this(name, servers, healthCheckInterval, healthCheckTimeout, rise, fall, connectTimeout, idleTimeout, algorithm,
                dsrMethod, onServerDown, HealthCheckSettings.DEFAULT, SendProxy.NONE);
    }

    /** A pool whose server connections carry no PROXY protocol header. */
    public PoolConfig(String name, Map<String, ServerConfig> servers, Duration healthCheckInterval,
            Duration healthCheckTimeout, int rise, int fall, Duration connectTimeout, Duration idleTimeout,
            Algorithm algorithm, DsrMethod dsrMethod, ServerDownAction onServerDown, HealthCheckSettings healthCheck) {
        this(name, servers, healthCheckInterval, healthCheckTimeout, rise, fall, connectTimeout, idleTimeout, algorithm,
                dsrMethod, onServerDown, healthCheck, SendProxy.NONE);
    }

    /** A pool checked by TCP connects to each server's own port. */
    public PoolConfig(String name, Map<String, ServerConfig> servers, Duration healthCheckInterval,
            Duration healthCheckTimeout, int rise, int fall, Duration connectTimeout, Duration idleTimeout,
            Algorithm algorithm, DsrMethod dsrMethod, ServerDownAction onServerDown, SendProxy sendProxy) {
        this(name, servers, healthCheckInterval, healthCheckTimeout, rise, fall, connectTimeout, idleTimeout, algorithm,
                dsrMethod, onServerDown, HealthCheckSettings.DEFAULT, sendProxy);
    }
}
