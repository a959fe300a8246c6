package io.convey.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A frontend (listener): where clients connect and which backend pool serves them.
 *
 * @param udp      the session settings, used when {@code protocol} is UDP
 * @param preamble what is read before the pool is picked (PROXY header, TLS server name); TCP only
 */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol,
        UdpOptions udp, FrontendPreamble preamble) {

    public FrontendConfig {
        Objects.requireNonNull(preamble, "preamble");
    }

    /** A TCP frontend that reads no preamble. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, FrontendPreamble.NONE);
    }

    /** A frontend that reads no preamble. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol, UdpOptions udp) {
        this(name, listenAddr, backend, protocol, udp, FrontendPreamble.NONE);
    }

    /** A TCP frontend with a preamble. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend, FrontendPreamble preamble) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT, preamble);
    }
}
