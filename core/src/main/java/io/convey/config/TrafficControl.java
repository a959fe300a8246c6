package io.convey.config;

import java.time.Duration;

/**
 * How a pool controls its traffic beyond picking a server: the queue where new proxied connections wait while
 * every eligible server is at its {@code max_connections}, slow start, passive health, source persistence and
 * how a FIN is relayed.
 *
 * @param queueSize          connections that may wait at once; 0 = none wait, a connection finding every server
 *                           full is closed at once
 * @param queueTimeout       how long a connection may wait for a slot before it is closed
 * @param slowStart          how long a server that comes up takes to ramp from a small share to its full weight;
 *                           {@link Duration#ZERO} = at once
 * @param observe            whether connect failures and resets of live traffic count toward a server's {@code fall}
 * @param persistenceTimeout how long a client address stays on the server it was last given (round robin and
 *                           least connections); {@link Duration#ZERO} = no persistence
 * @param halfClose          proxy mode: whether a FIN from one side is passed on with the other direction kept open
 *                           (a true half-close, as HAProxy does), or closes both connections once what is queued is
 *                           written (NGINX stream's default, {@code proxy_half_close off}): a {@code shutdown}, a read
 *                           and a wake-up fewer per connection, for protocols where the first FIN means done
 */
public record TrafficControl(int queueSize, Duration queueTimeout, Duration slowStart, boolean observe,
        Duration persistenceTimeout, boolean halfClose) {

    public static final int DEFAULT_QUEUE_SIZE = 1024;
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofMillis(5000);
    public static final TrafficControl DEFAULT = new TrafficControl(DEFAULT_QUEUE_SIZE, DEFAULT_QUEUE_TIMEOUT,
            Duration.ZERO, false, Duration.ZERO, true);
}
