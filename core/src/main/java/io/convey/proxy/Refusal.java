package io.convey.proxy;

/** Why a frontend closed a connection before choosing a server for it, for the refusal counters. */
public enum Refusal {
    /** {@code accept_proxy}: no complete PROXY protocol header within the timeout (or the client closed first). */
    PROXY_HEADER_MISSING,
    /** {@code accept_proxy}: the first bytes are not a valid PROXY protocol v1 or v2 header. */
    PROXY_HEADER_INVALID,
    /** SNI with {@code sni_mismatch = "reject"}: no TLS ClientHello, a malformed one, or none within the timeout. */
    NOT_TLS,
    /** SNI: a ClientHello larger than the peek allows. */
    CLIENT_HELLO_TOO_LARGE
}
