package io.convey.traffic;

import java.util.Locale;

/** How a connection or flow ended, as the access log writes it. */
public enum Ending {
    /** The client closed (or reset) first. */
    CLIENT_CLOSED,
    /** The server closed (or reset) first. */
    SERVER_CLOSED,
    /** Nothing moved for the pool's idle timeout (packet modes: the flow table's timeout for its state). */
    IDLE_TIMEOUT,
    /** Refused by the frontend's allow/deny lists before any server was chosen. */
    REFUSED_BY_ACL,
    /** Refused by the frontend's rate limit for its source. */
    RATE_LIMITED,
    /**
     * Refused before a server was chosen by what the frontend reads first: no valid PROXY header in time
     * ({@code accept_proxy}), or first bytes that {@code sni_mismatch = "reject"} turns away.
     */
    PREAMBLE_REFUSED,
    /** Waited in the pool's queue past its timeout (or found the queue full). */
    QUEUE_TIMEOUT,
    /** No eligible server when the connection arrived. */
    NO_SERVER,
    /** Every connect attempt to a server failed. */
    CONNECT_FAILED,
    /** Packet modes: the flow's server went down and the flow was reset. */
    SERVER_DOWN,
    /** Packet modes: the flow table was full and this least recently used flow made room. */
    EVICTED;

    /** The word in the log and the API, e.g. {@code client_closed}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
