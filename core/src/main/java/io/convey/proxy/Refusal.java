package io.convey.proxy;

/** Why a connection was closed before any server was connected for it. */
public enum Refusal {
    /** No eligible server in the pool (all down, disabled or weighted 0), or none left untried. */
    NO_SERVER,
    /** Every eligible server was at its {@code max_connections} and the pool's queue was full. */
    QUEUE_FULL,
    /** The connection waited in the pool's queue for {@code queue_timeout_ms} without a free slot. */
    QUEUE_TIMEOUT,
    /** The frontend was at its {@code max_connections} when the connection was accepted. */
    FRONTEND_FULL
}
