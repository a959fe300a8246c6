package io.convey.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A frontend (listener): where clients connect and which backend pool serves them.
 *
 * @param preamble what is read before the pool is picked (PROXY header, TLS server name)
 */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend, FrontendPreamble preamble) {

    public FrontendConfig {
        Objects.requireNonNull(preamble, "preamble");
    }

    /** A frontend that reads no preamble. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend) {
        this(name, listenAddr, backend, FrontendPreamble.NONE);
    }
}
