package io.convey.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Optional {@code [admin]} section: a listen address that overrides {@code [stats] port}, and the file
 * holding the bearer token that remote writes must present.
 */
public record AdminConfig(Optional<InetSocketAddress> listenAddr, Optional<Path> tokenFile) {
    public static final AdminConfig DEFAULT = new AdminConfig(Optional.empty(), Optional.empty());
}
