package io.convey.cluster;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How to reach etcd: client URLs, an optional TLS client certificate and CA, an optional user and password file. */
public record EtcdSettings(List<URI> endpoints, Optional<Path> tlsCert, Optional<Path> tlsKey, Optional<Path> tlsCa,
        Optional<String> user, Optional<Path> passwordFile, Duration requestTimeout) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);

    public EtcdSettings {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("etcd_endpoints: [] (expected: one or more URLs)");
        }
        endpoints = List.copyOf(endpoints);
    }

    /** Plain HTTP endpoints without credentials (tests, a local etcd). */
    public static EtcdSettings plain(List<URI> endpoints) {
        return new EtcdSettings(endpoints, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_REQUEST_TIMEOUT);
    }

    /** The endpoints as an operator typed them, comma-separated, for messages. */
    public String endpointList() {
        return String.join(", ", endpoints.stream().map(URI::toString).toList());
    }
}
