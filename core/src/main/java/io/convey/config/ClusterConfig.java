package io.convey.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Optional {@code [cluster]} section: the etcd cluster holding the fleet's configuration, the fleet's name (keys under
 * {@code /convey/<name>/}), this appliance's member name, how long its member record outlives a silent member, and
 * the client credentials (a TLS client certificate and CA, or a user whose password is in an owner-only file).
 * Without the section the config file is the source of truth.
 */
public record ClusterConfig(List<URI> etcdEndpoints, String name, String member, Duration memberTtl,
        Optional<Path> tlsCert, Optional<Path> tlsKey, Optional<Path> tlsCa, Optional<String> user,
        Optional<Path> passwordFile) {
    public static final Duration DEFAULT_MEMBER_TTL = Duration.ofSeconds(10);

    public ClusterConfig {
        etcdEndpoints = List.copyOf(etcdEndpoints);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(member, "member");
    }
}
