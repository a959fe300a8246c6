package io.convey.config;

import java.net.InetSocketAddress;

/** A frontend (listener): where clients connect and which backend pool serves them. */
public record FrontendConfig(String name, InetSocketAddress listenAddr, String backend) {}
