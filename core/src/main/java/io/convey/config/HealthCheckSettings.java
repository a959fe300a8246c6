package io.convey.config;

import java.util.OptionalInt;

/**
 * A pool's health check kind and target ({@code health_check}, {@code health_check_port}).
 *
 * @param port the port probes go to instead of each server's own (a UDP service with a TCP status port)
 */
public record HealthCheckSettings(HealthCheckType type, OptionalInt port) {
    public static final HealthCheckSettings DEFAULT = new HealthCheckSettings(HealthCheckType.TCP, OptionalInt.empty());

    /** The port a probe of a server on {@code serverPort} connects to. */
    public int probePort(int serverPort) {
        return port.orElse(serverPort);
    }
}
