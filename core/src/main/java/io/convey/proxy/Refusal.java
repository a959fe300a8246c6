package io.convey.proxy;

import io.convey.traffic.Ending;

/** Why a connection was closed before any server was connected for it, for the refusal counters. */
public enum Refusal {
    /** {@code accept_proxy}: no complete PROXY protocol header within the timeout (or the client closed first). */
    PROXY_HEADER_MISSING,
    /** {@code accept_proxy}: the first bytes are not a valid PROXY protocol v1 or v2 header. */
    PROXY_HEADER_INVALID,
    /** SNI with {@code sni_mismatch = "reject"}: no TLS ClientHello, a malformed one, or none within the timeout. */
    NOT_TLS,
    /** SNI: a ClientHello larger than the peek allows. */
    CLIENT_HELLO_TOO_LARGE,
    /** No eligible server in the pool (all down, disabled or weighted 0), or none left untried. */
    NO_SERVER,
    /** Every eligible server was at its {@code max_connections} and the pool's queue was full. */
    QUEUE_FULL,
    /** The connection waited in the pool's queue for {@code queue_timeout_ms} without a free slot. */
    QUEUE_TIMEOUT,
    /** The frontend was at its {@code max_connections} when the connection was accepted. */
    FRONTEND_FULL;

    /** How a flow refused for this reason ends, in the access log. */
    Ending ending() {
        return switch (this) {
            case NO_SERVER -> Ending.NO_SERVER;
            case QUEUE_FULL, QUEUE_TIMEOUT, FRONTEND_FULL -> Ending.QUEUE_TIMEOUT;
            case PROXY_HEADER_MISSING, PROXY_HEADER_INVALID, NOT_TLS, CLIENT_HELLO_TOO_LARGE -> Ending.PREAMBLE_REFUSED;
        };
    }
}
