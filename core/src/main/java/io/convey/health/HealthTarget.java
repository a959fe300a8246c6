package io.convey.health;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A server to check, identified by pool name, server name and address.
 *
 * @param pool    the backend pool the server belongs to
 * @param server  the server's name within the pool
 * @param address where the check connects
 */
public record HealthTarget(String pool, String server, InetSocketAddress address) {
    public HealthTarget {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(address, "address");
    }
}
