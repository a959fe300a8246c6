package io.convey.proxy;

import io.convey.traffic.AccessSink;
import io.convey.traffic.FrontendGuard;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Decides where a frontend's new connections go; implemented by the engine.
 *
 * <p>Called on Netty event loops, so implementations must not block: read the current snapshot and pick.
 */
public interface Router {

    /**
     * Observer for the frontend-level counters of a newly accepted connection: opened at accept, closed when
     * the client socket closes, and given the same byte counts as the chosen server's observer.
     */
    FlowObserver frontendObserver(String frontend);

    /**
     * Next server for a new connection from {@code client}, skipping the addresses in {@code tried}
     * (servers that already refused or timed out for this connection).
     *
     * @return the server to connect to, or {@code null} when no healthy untried server is left
     */
    Upstream select(String frontend, InetSocketAddress client, Set<InetSocketAddress> tried);

    /**
     * Next server for a new connection, seen as {@code origin}: the effective client (a PROXY header's source on an
     * {@code accept_proxy} frontend) and the TLS server name on an SNI frontend, which may choose another pool.
     */
    default Upstream select(String frontend, ConnectionOrigin origin, Set<InetSocketAddress> tried) {
        return select(frontend, origin.client(), tried);
    }

    /**
     * Admission of a new connection seen as {@code origin} (its effective client and SNI pool, as for
     * {@link #select(String, ConnectionOrigin, Set)}): a server, a place in the pool's queue when every eligible
     * server is at its {@code max_connections}, or a refusal. Without limits this is {@link #select}.
     */
    default Admission admit(String frontend, ConnectionOrigin origin, Set<InetSocketAddress> tried, SlotWaiter waiter) {
        Upstream upstream = select(frontend, origin, tried);
        return upstream == null ? new Admission.Refuse(Refusal.NO_SERVER) : new Admission.Serve(upstream);
    }

    /** What the frontend reads from a new connection before a server is selected; read once per connection. */
    default Preamble preamble(String frontend) {
        return Preamble.NONE;
    }

    /** The frontend's admission of new connections (allow/deny, rate limit), asked at accept. */
    default FrontendGuard guard(String frontend) {
        return FrontendGuard.OPEN;
    }

    /** Where the frontend's access-log entries go; {@link AccessSink#OFF} when it has no access log. */
    default AccessSink accessLog(String frontend) {
        return AccessSink.OFF;
    }

    /** The frontend's {@code max_connections} now, 0 for no limit; read once per accepted connection. */
    default int maxConnections(String frontend) {
        return 0;
    }

    /** A connection was closed at accept because the frontend was at its {@code max_connections}. */
    default void frontendFull(String frontend) {}
}
