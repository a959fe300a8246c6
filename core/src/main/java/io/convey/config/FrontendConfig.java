package io.convey.config;

import java.net.InetSocketAddress;

/**
 * A frontend (listener): where clients connect and which backend pool serves them.
 *
 * @param udp the session settings, used when {@code protocol} is UDP
 */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend, Protocol protocol,
        UdpOptions udp) {

    /** A TCP frontend. */
    public FrontendConfig(String name, InetSocketAddress listenAddr, String backend) {
        this(name, listenAddr, backend, Protocol.TCP, UdpOptions.DEFAULT);
    }
}
