package io.convey.config;

import java.net.InetSocketAddress;

/**
 * A frontend (listener): where clients connect and which backend pool serves them.
 *
 * @param maxConnections proxied connections at most at once, 0 = no limit; at the limit the listener stops accepting
 */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend, int maxConnections) {}
