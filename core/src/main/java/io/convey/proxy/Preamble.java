package io.convey.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * What a frontend reads from each new connection before it asks the {@link Router} for a server.
 *
 * @param acceptProxy  whether a PROXY protocol v1 or v2 header must come first
 * @param proxyTimeout how long the header may take from the accept; the connection is refused after that
 * @param peekSni      whether to read the TLS ClientHello's server name (bytes are replayed to the server)
 * @param sniTimeout   how long the ClientHello may take once the client is known
 * @param rejectNonTls close connections whose first bytes are not a ClientHello (or that send none in time);
 *                     otherwise they go to the frontend's default pool
 */
public record Preamble(boolean acceptProxy, Duration proxyTimeout, boolean peekSni, Duration sniTimeout,
        boolean rejectNonTls) {

    /** Nothing to read: the connection is routed at once. */
    public static final Preamble NONE = new Preamble(false, Duration.ofSeconds(3), false, Duration.ofSeconds(5), false);

    public Preamble {
        Objects.requireNonNull(proxyTimeout, "proxyTimeout");
        Objects.requireNonNull(sniTimeout, "sniTimeout");
        if (!proxyTimeout.isPositive() || !sniTimeout.isPositive()) {
            throw new IllegalArgumentException("timeouts: " + proxyTimeout + ", " + sniTimeout + " (expected: > 0)");
        }
    }

    boolean none() {
        return !acceptProxy && !peekSni;
    }
}
