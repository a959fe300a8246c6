package io.convey.config;

/** How a backend pool chooses a server for a new connection. */
public enum Algorithm implements ConfigWord {
    ROUND_ROBIN,
    LEAST_CONNECTIONS,
    MAGLEV
}
