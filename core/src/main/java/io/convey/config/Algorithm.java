package io.convey.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a backend pool chooses a server for a new connection. */
public enum Algorithm {
    ROUND_ROBIN("round_robin"),
    LEAST_CONNECTIONS("least_connections"),
    MAGLEV("maglev");

    private final String id;

    Algorithm(String id) {
        this.id = id;
    }

    /** The name used in TOML and the API. */
    public String id() {
        return id;
    }

    public static Optional<Algorithm> fromId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(Algorithm::id).collect(Collectors.joining(", "));
    }
}
