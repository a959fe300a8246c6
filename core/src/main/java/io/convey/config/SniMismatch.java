package io.convey.config;

/**
 * What an SNI frontend does with a connection whose first bytes are not a TLS ClientHello ({@code sni_mismatch}):
 * malformed records, plain-text protocols, or nothing readable before the timeout.
 */
public enum SniMismatch implements ConfigWord {
    /** Send it to the frontend's {@code backend}, its bytes replayed unchanged. */
    DEFAULT,
    /** Close it (counted as refused). */
    REJECT
}
