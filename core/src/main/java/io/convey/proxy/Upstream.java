package io.convey.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A server chosen for one connection, with the timeouts that apply to it.
 *
 * @param address        where to connect; must be resolved (no DNS on an event loop)
 * @param connectTimeout how long one connect attempt may take before failing over to the next server
 * @param idleTimeout    close the flow when no byte moves either way for this long; {@link Duration#ZERO} = never
 * @param observer       counters of the server side of the flow
 * @param proxyHeader    the PROXY protocol header written to the server before the client's first byte
 * @param pool           the pool's name, for the access log (null if unnamed)
 * @param server         the server's name, for the access log (null if unnamed)
 * @param halfClose      a FIN from one side is passed on and the other direction stays open; false: the first FIN
 *                       closes both connections once what is queued for the other side is written
 */
public record Upstream(InetSocketAddress address, Duration connectTimeout, Duration idleTimeout, FlowObserver observer,
        ProxyHeader proxyHeader, String pool, String server, boolean halfClose) {

    public Upstream {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(proxyHeader, "proxyHeader");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address: " + address + " (expected: resolved)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: >= 0)");
        }
    }
}
