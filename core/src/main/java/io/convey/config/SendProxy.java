package io.convey.config;

/**
 * Whether a pool's server connections start with a PROXY protocol header ({@code send_proxy}), and which version:
 * v1 is the text line, v2 the binary form (HAProxy's proxy-protocol.txt).
 */
public enum SendProxy implements ConfigWord {
    /** No header: the server sees Convey's address as the client (the key left out). */
    NONE,
    V1,
    V2
}
